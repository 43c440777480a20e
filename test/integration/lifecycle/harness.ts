// The real daemon against the simulator, in-process: a config built from config.example.yaml with short
// intervals, logs captured as JSON lines, /metrics parsed into samples, and a prober that keeps asking
// /metrics and /healthz while a test bends the upstream.
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { checkConfig } from "../../../src/exporter/checked-config.js";
import { loadConfig } from "../../../src/config/load.js";
import type { AuthConfig, Config } from "../../../src/config/types.js";
import { EXAMPLE_CONFIG_PATH } from "../../../src/exporter/demo.js";
import { type Exporter, startExporter } from "../../../src/exporter/exporter.js";
import { createLogger } from "../../../src/logger.js";
import { type Simulator, type SimulatorOptions, startSimulator } from "../../../src/simulator/index.js";
import { eventually, sleep } from "../../support/eventually.js";
export { eventually, sleep } from "../../support/eventually.js";

export const DEMO_SECRET = "demo-secret";
export const DEMO_PASSWORD = "demo-password";
export const DATA_PATH = "/statsapi/subscription/data";
export const TOKEN_PATH = "/configapi/v2/oauth/token";
export const SESSION_PATH = "/statsapi/auth";
export const SUBSCRIBE_PATH = "/statsapi/subscription";
export const DELETE_PATH = "/statsapi/subscription/active";

/** Short timings so a whole lifecycle plays out in a second or two. */
export const FAST_POLL = { interval_ms: 100, max_backoff_ms: 800, stale_after_ms: 10_000 };
export const FAST_TIMEOUT_MS = 300;

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** Collects pino's JSON lines (written through the exporter's own logger, redaction included). */
export class LogCapture extends Writable {
  readonly raw: string[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.raw.push(chunk.toString("utf8"));
    done();
  }

  lines(): LogLine[] {
    return this.raw
      .join("")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as LogLine);
  }

  /** Log lines whose message contains `text`. */
  find(text: string): LogLine[] {
    return this.lines().filter((line) => line.msg.includes(text));
  }

  text(): string {
    return this.raw.join("");
  }
}

export interface PairOptions {
  simulator?: Omit<SimulatorOptions, "host">;
  auth?: AuthConfig;
  poll?: Partial<Config["poll"]>;
  timeoutMs?: number;
  /** Edits the loaded config before it is checked (e.g. a subscription the upstream rejects). */
  edit?: (config: Config) => Config;
  /** Point the exporter here instead of at the simulator (a proxy in front of it). */
  upstreamUrl?: string;
}

export interface Pair {
  sim: Simulator;
  exporter: Exporter;
  logs: LogCapture;
  config: Config;
  metricsUrl: string;
  healthUrl: string;
  /** Stops the exporter, then the simulator. */
  stop(): Promise<void>;
}

export async function exampleConfig(upstreamUrl: string, options: PairOptions = {}): Promise<Config> {
  const loaded = await loadConfig(EXAMPLE_CONFIG_PATH, { BP_CLIENT_SECRET: DEMO_SECRET });
  const config: Config = {
    ...loaded,
    upstream: {
      ...loaded.upstream,
      url: upstreamUrl,
      timeout_ms: options.timeoutMs ?? FAST_TIMEOUT_MS,
      auth: options.auth ?? loaded.upstream.auth,
    },
    poll: { ...loaded.poll, ...FAST_POLL, ...options.poll },
    web: { ...loaded.web, listen_address: "127.0.0.1:0" },
  };
  return options.edit ? options.edit(config) : config;
}

export async function startExporterFor(config: Config, logs: LogCapture): Promise<Exporter> {
  const checked = await checkConfig(config, EXAMPLE_CONFIG_PATH);
  return startExporter({ ...checked, logger: createLogger({ level: "debug", format: "json", destination: logs }) });
}

/** A simulator (manual ticks, one warm-up 204 by default) and an exporter polling it fast. */
export async function startPair(options: PairOptions = {}): Promise<Pair> {
  const sim = await startSimulator({ tickMs: 0, ...options.simulator, host: "127.0.0.1" });
  const logs = new LogCapture();
  try {
    const config = await exampleConfig(options.upstreamUrl ?? sim.url, options);
    const exporter = await startExporterFor(config, logs);
    return {
      sim,
      exporter,
      logs,
      config,
      metricsUrl: `${exporter.url}${config.web.metrics_path}`,
      healthUrl: `${exporter.url}/healthz`,
      stop: async () => {
        await exporter.stop();
        await sim.close();
      },
    };
  } catch (error) {
    await sim.close();
    throw error;
  }
}

/**
 * Runs one exporter until it serves, once per test file: the first poll of a process starts the statistics
 * worker thread (through tsx from the sources), a one-off cost that is not what the probes are there to time.
 */
export async function warmUp(): Promise<void> {
  const pair = await startPair({ simulator: { warmupPolls: 0 } });
  try {
    await untilServing(pair);
  } finally {
    await pair.stop();
  }
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The samples of an exposition (comments skipped; label values left escaped). */
export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = SAMPLE_LINE.exec(line);
    if (!match) throw new Error(`not a sample line: ${line.slice(0, 200)}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(LABEL_PAIR)) labels[pair[1] as string] = pair[2] as string;
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the first sample of `name` whose labels include `labels`; undefined when absent. */
export function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

export async function scrape(url: string): Promise<Sample[]> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return parseSamples(await res.text());
}

/** The self-metrics a lifecycle test reads. */
export interface Health {
  up: number | undefined;
  logins: { success: number; failure: number };
  subscriptions: number;
  errors: (reason: string) => number;
  /** Statistic families of the example config present in the exposition. */
  families: Set<string>;
  samples: Sample[];
}

export async function health(url: string): Promise<Health> {
  return healthOf(await scrape(url));
}

export function healthOf(samples: Sample[]): Health {
  return {
    up: valueOf(samples, "brightpattern_up"),
    logins: {
      success: valueOf(samples, "brightpattern_logins_total", { result: "success" }) ?? 0,
      failure: valueOf(samples, "brightpattern_logins_total", { result: "failure" }) ?? 0,
    },
    subscriptions: valueOf(samples, "brightpattern_subscriptions_created_total") ?? 0,
    errors: (reason) => valueOf(samples, "brightpattern_errors_total", { reason }) ?? Number.NaN,
    families: new Set(samples.map((s) => s.name)),
    samples,
  };
}

/** A statistic family the example config always yields (the agent roster is never empty). */
export const STATISTIC_FAMILY = "brightpattern_agent_state";

/** Waits until the exporter serves statistics with up 1. */
export async function untilServing(pair: Pick<Pair, "metricsUrl">, ms = 5_000): Promise<Health> {
  return eventually(
    async () => {
      const h = await health(pair.metricsUrl);
      return h.up === 1 && h.families.has(STATISTIC_FAMILY) ? h : undefined;
    },
    ms,
    "up 1 with statistics",
  );
}

export interface ProbeReport {
  probes: number;
  failures: string[];
  /** The slowest answer, wall clock. */
  worstMs: number;
  /**
   * The slowest answer counting only time this process spent on the CPU: min(wall, CPU used meanwhile).
   * A blocked event loop burns CPU for as long as it blocks; a process the OS did not schedule (other jobs
   * on a loaded 2-core machine) does not. The bounds are checked on this figure.
   */
  worstBusyMs: number;
}

/**
 * Asks /metrics and /healthz every `everyMs` until stopped; records the slowest answer and every non-200
 * or error. Probes do not overlap, so one stalled answer shows up as one large latency. The first URL's
 * bodies go to `onMetrics` (its parsing is not timed).
 */
export function startProber(urls: string[], everyMs = 20, onMetrics?: (text: string) => void): { stop(): Promise<ProbeReport> } {
  const report: ProbeReport = { probes: 0, failures: [], worstMs: 0, worstBusyMs: 0 };
  const record = (started: number, cpuBefore: NodeJS.CpuUsage) => {
    const wall = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    report.worstMs = Math.max(report.worstMs, wall);
    report.worstBusyMs = Math.max(report.worstBusyMs, Math.min(wall, (cpu.user + cpu.system) / 1000));
  };
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const url of urls) {
        const started = performance.now();
        const cpuBefore = process.cpuUsage();
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
          const text = await res.text();
          record(started, cpuBefore);
          if (res.status !== 200) report.failures.push(`${url}: ${res.status}`);
          else if (url === urls[0]) onMetrics?.(text);
        } catch (error) {
          record(started, cpuBefore);
          report.failures.push(`${url}: ${(error as Error).message}`);
        }
        report.probes++;
      }
      await sleep(everyMs);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return report;
    },
  };
}

/** Upstream calls the simulator saw, as "METHOD path status", from index `from` on. */
export function calls(sim: Simulator, from = 0): string[] {
  return sim.requests.slice(from).map((r) => `${r.method} ${r.path} ${r.status}`);
}

/**
 * A proxy in front of the simulator that can rewrite 200 data bodies: data the simulator cannot produce
 * (missing, extra or wrongly typed fields). Everything else passes through unchanged, Set-Cookie included.
 */
export async function startRewritingProxy(target: string): Promise<{ url: string; rewrite: ((body: string) => string) | null; close(): Promise<void> }> {
  const proxy = { url: "", rewrite: null as ((body: string) => string) | null, close: async () => {} };
  const forward = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === "string" && !["host", "connection", "content-length"].includes(e[0])),
    );
    const method = req.method ?? "GET";
    const upstream = await fetch(`${target}${req.url ?? "/"}`, {
      method,
      headers,
      body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
    });
    let body = await upstream.text();
    if (upstream.status === 200 && req.url === DATA_PATH && proxy.rewrite) body = proxy.rewrite(body);
    const out: Record<string, string | string[]> = { "content-type": upstream.headers.get("content-type") ?? "application/json" };
    const cookies = upstream.headers.getSetCookie();
    if (cookies.length > 0) out["set-cookie"] = cookies;
    res.writeHead(upstream.status, out).end(body);
  };
  const server = createServer((req, res) => {
    forward(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}
