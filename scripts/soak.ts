// Soak: the real exporter against the simulator for a while, faults injected at random (seeded), several
// scrapers reading /metrics all along. Reports memory (after a full GC, steady state after a warm-up),
// polls, errors by reason, series, scrapes and their latency, and how long each fault took to recover.
// Exits 1 on unbounded growth (heap, series, self-metric samples), an unrecovered fault or a failed scrape.
//
//   npx tsx scripts/soak.ts [--duration 60s] [--interval 200ms] [--agents 40] [--seed 1] [--scrapers 4]
//                           [--warmup 15s] [--max-heap-growth-mb 10] [--quiet]
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { pino } from "pino";
import { request } from "undici";
import { checkConfig } from "../src/exporter/checked-config.js";
import { parseDuration } from "../src/config/duration.js";
import { loadConfig } from "../src/config/load.js";
import type { Config } from "../src/config/types.js";
import { EXAMPLE_CONFIG_PATH } from "../src/exporter/demo.js";
import { startExporter } from "../src/exporter/exporter.js";
import { selfMetricNames } from "../src/metrics/self-metric-names.js";
import { createRandom } from "../src/simulator/random.js";
import { type Simulator, startSimulator } from "../src/simulator/index.js";

export interface SoakOptions {
  durationMs: number;
  intervalMs: number;
  agents: number;
  seed: number;
  scrapers: number;
  warmupMs: number;
  /** Heap growth (after GC, steady state) above this fails the run. */
  maxHeapGrowthMb: number;
  /** Called with progress lines; silent by default. */
  progress?: (line: string) => void;
}

export const SOAK_DEFAULTS: SoakOptions = {
  durationMs: 60_000,
  intervalMs: 200,
  agents: 40,
  seed: 1,
  scrapers: 4,
  warmupMs: 15_000,
  maxHeapGrowthMb: 10,
};

const TOKEN_PATH = "/configapi/v2/oauth/token";
const SUBSCRIBE_PATH = "/statsapi/subscription";
/** The upstream timeout of the soak: short, so "slow upstream" faults time out quickly. */
const TIMEOUT_MS = 1_000;
/** Known agent states of the StateSet (a state column renders one series per state). */
const KNOWN_STATES = 5;

interface Fault {
  name: string;
  /** Starts the fault; the returned function (if any) ends it after `holdMs`. */
  apply(sim: Simulator): (() => void) | undefined;
  holdMs?: number;
  /** False for faults that are no error (a huge but valid body): recovery is then the next good poll. */
  counted?: boolean;
}

/** Every failure the simulator can play, as one named fault each. */
export const FAULTS: readonly Fault[] = [
  { name: "expire_sessions", apply: (sim) => void sim.faults.expireSessions() },
  { name: "drop_subscriptions", apply: (sim) => void sim.faults.dropSubscriptions() },
  { name: "fail_500", apply: (sim) => void sim.faults.failNext(3, 500) },
  { name: "fail_503_token", apply: (sim) => (sim.faults.expireSessions(), sim.faults.failNext(2, 503, TOKEN_PATH), undefined) },
  { name: "fail_502_subscribe", apply: (sim) => (sim.faults.dropSubscriptions(), sim.faults.failNext(2, 502, SUBSCRIBE_PATH), undefined) },
  { name: "malformed", apply: (sim) => void sim.faults.malformedNext(2) },
  { name: "truncated", apply: (sim) => void sim.faults.truncateNext(2) },
  { name: "socket_reset", apply: (sim) => void sim.faults.resetNext(2) },
  { name: "huge_body", counted: false, apply: (sim) => void sim.faults.hugeNext(1, 4_000_000) },
  {
    name: "slow_upstream",
    holdMs: 1_500,
    apply: (sim) => {
      sim.faults.setDelay(TIMEOUT_MS + 300);
      return () => sim.faults.setDelay(0);
    },
  },
  {
    name: "subscription_limit",
    holdMs: 1_500,
    apply: (sim) => {
      sim.faults.dropSubscriptions();
      sim.faults.forceSubscriptionLimit(true);
      return () => sim.faults.forceSubscriptionLimit(false);
    },
  },
];

export interface FaultRun {
  fault: string;
  /** From the end of the fault to the first scrape showing up 1 with a newer successful poll; undefined = never. */
  recoveryMs: number | undefined;
  /** The fault caused no counted error (the soak itself is broken, or the exporter ignores a failure). */
  noEffect?: true;
  /** What the exporter was doing when a fault did not recover. */
  stuck?: { state: string; lastError: string | undefined };
}

export interface MemorySample {
  atMs: number;
  heapUsedMb: number;
  rssMb: number;
}

export interface SoakReport {
  ok: boolean;
  failures: string[];
  options: Omit<SoakOptions, "progress">;
  elapsedMs: number;
  memory: { start: MemorySample; end: MemorySample; heapGrowthMb: number; rssGrowthMb: number; samples: number };
  polls: number;
  errors: Record<string, number>;
  series: { last: number; max: number; bound: number };
  selfSamples: { afterWarmup: number; end: number };
  scrapes: { count: number; failed: number; p50Ms: number; p99Ms: number; maxMs: number };
  faults: FaultRun[];
}

const MB = 1024 * 1024;

/** A full GC, without requiring node --expose-gc (the flag can be switched on at run time). */
function fullGc(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

function memorySample(gc: () => void, startedAt: number): MemorySample {
  gc();
  return { atMs: Date.now() - startedAt, heapUsedMb: getHeapStatistics().used_heap_size / MB, rssMb: process.memoryUsage().rss / MB };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

/**
 * Steady-state growth: the median of the last quarter of the samples minus the median of the first quarter.
 * Medians of post-GC samples ignore the odd sample taken mid-burst (a 4 MB body in flight) on a busy machine.
 */
export function steadyGrowth(values: number[]): number {
  if (values.length < 4) return 0;
  const quarter = Math.max(1, Math.floor(values.length / 4));
  return median(values.slice(-quarter)) - median(values.slice(0, quarter));
}

/**
 * The most statistic series the config can produce against a contact center of this size: every grid row
 * (up to its limit) with one series per column, a StateSet per state column, plus totals, text totals and chat.
 */
export function seriesBound(config: Config, population: { agents: number; services: number }): number {
  let bound = 0;
  for (const app of config.subscription.apps) {
    bound += app.stats_totals.length + 1;
    for (const [grids, rows] of [
      [app.service_grids, population.services],
      [app.agent_grids, population.agents],
    ] as const) {
      for (const grid of grids) {
        const limit = Math.min(grid.limit ?? rows, rows);
        const stateColumns = grid.columns.filter((column) => column.stat_name === "acd_state" || column.stat_name === "acd_next_state").length;
        bound += limit * (grid.columns.length + stateColumns * KNOWN_STATES);
      }
    }
    if (app.chat_messages) bound += app.chat_messages.limit + 2;
  }
  return bound;
}

/** The value of an unlabelled sample, or of one label set given as its `{...}` text. */
function sampleValue(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
  return match ? Number(match[1]) : undefined;
}

function errorsByReason(text: string, namespace: string): Record<string, number> {
  const errors: Record<string, number> = {};
  for (const match of text.matchAll(new RegExp(`^${namespace}_errors_total\\{reason="([^"]+)"\\} (\\S+)$`, "gm"))) {
    const count = Number(match[2]);
    if (count > 0) errors[match[1] as string] = count;
  }
  return errors;
}

/** Samples of the exporter's own families (process_/nodejs_ ones come and go with GC kinds and handle types). */
function selfSampleCount(text: string, namespace: string): number {
  const own = new Set(selfMetricNames(namespace));
  return text.split("\n").filter((line) => own.has(line.split(/[{ ]/, 1)[0] ?? "")).length;
}

async function soakConfig(upstreamUrl: string, intervalMs: number): Promise<Config> {
  const loaded = await loadConfig(EXAMPLE_CONFIG_PATH, { BP_CLIENT_SECRET: "demo-secret" });
  return {
    ...loaded,
    upstream: { ...loaded.upstream, url: upstreamUrl, timeout_ms: TIMEOUT_MS },
    poll: { interval_ms: intervalMs, max_backoff_ms: Math.max(1_000, intervalMs * 8), stale_after_ms: 30_000 },
    web: { ...loaded.web, listen_address: "127.0.0.1:0" },
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runSoak(input: Partial<SoakOptions> = {}): Promise<SoakReport> {
  const options: SoakOptions = { ...SOAK_DEFAULTS, ...input };
  const say = options.progress ?? (() => undefined);
  const random = createRandom(options.seed).next;
  const gc = fullGc();
  const startedAt = Date.now();
  const services = 6;
  const sim = await startSimulator({ host: "127.0.0.1", seed: options.seed, agents: options.agents, services, tickMs: 250 });
  const config = await soakConfig(sim.url, options.intervalMs);
  const exporter = await startExporter({ ...(await checkConfig(config, EXAMPLE_CONFIG_PATH)), logger: pino({ level: "silent" }) });
  const ns = config.metrics.namespace;
  const metricsUrl = `${exporter.url}${config.web.metrics_path}`;

  let latest = "";
  let running = true;
  const latencies: number[] = [];
  let failedScrapes = 0;
  let maxSeries = 0;
  const scraper = async (gzip: boolean) => {
    while (running) {
      const t0 = performance.now();
      try {
        const res = await request(metricsUrl, { headers: gzip ? { "accept-encoding": "gzip" } : {}, headersTimeout: 5_000, bodyTimeout: 5_000 });
        const body = await res.body.text();
        latencies.push(performance.now() - t0);
        if (res.statusCode !== 200) failedScrapes++;
        else if (!gzip) {
          latest = body;
          maxSeries = Math.max(maxSeries, sampleValue(body, `${ns}_statistic_series`) ?? 0);
        }
      } catch {
        failedScrapes++;
      }
      await sleep(20);
    }
  };
  // At least one plain scraper, so the parsed figures stay current.
  const scrapers = Array.from({ length: Math.max(1, options.scrapers) }, (_, i) => scraper(i % 2 === 1));

  const memory: MemorySample[] = [];
  let selfAfterWarmup = 0;
  const sampler = (async () => {
    await sleep(options.warmupMs);
    selfAfterWarmup = selfSampleCount(latest, ns);
    while (running) {
      memory.push(memorySample(gc, startedAt));
      await sleep(1_000);
    }
  })();

  const errorTotal = () => Object.values(errorsByReason(latest, ns)).reduce((sum, count) => sum + count, 0);
  /** Waits until a scrape counts more errors than `before`; the time it did, or undefined. */
  const failed = async (before: number, deadlineMs: number): Promise<number | undefined> => {
    while (Date.now() < deadlineMs) {
      if (errorTotal() > before) return Date.now();
      await sleep(25);
    }
    return undefined;
  };

  /** Waits until a scrape shows up 1 and a successful poll after `since`. */
  const recovered = async (since: number, deadlineMs: number): Promise<number | undefined> => {
    while (Date.now() < deadlineMs) {
      const success = sampleValue(latest, `${ns}_last_success_timestamp_seconds`) ?? 0;
      if (sampleValue(latest, `${ns}_up`) === 1 && success * 1000 > since) return Date.now() - since;
      await sleep(25);
    }
    return undefined;
  };

  const faults: FaultRun[] = [];
  const deck: Fault[] = [];
  const endAt = startedAt + options.durationMs;
  let final: string;
  try {
    await sleep(Math.min(2_000, options.warmupMs));
    while (Date.now() < endAt - 3_000) {
      // A shuffled deck: random order, yet every kind of fault comes up once per round.
      if (deck.length === 0) deck.push(...shuffled(FAULTS, random));
      const fault = deck.pop() as Fault;
      const errorsBefore = errorTotal();
      const end = fault.apply(sim);
      if (fault.holdMs) await sleep(fault.holdMs);
      end?.();
      // The longest backoff plus time for a re-login, a subscribe and the simulator's warm-up 204.
      const patience = config.poll.max_backoff_ms * 2 + 5_000;
      // Recovery counts from the first error the fault caused, seen after it ended (a poll in flight when it
      // struck may still succeed, and must not count as recovery).
      const endedAt = Date.now();
      const struck = fault.counted === false ? endedAt : await failed(errorsBefore, endedAt + patience);
      const recoveryMs = struck === undefined ? undefined : await recovered(struck, struck + patience);
      const status = exporter.status();
      faults.push({
        fault: fault.name,
        recoveryMs,
        ...(struck === undefined && { noEffect: true }),
        ...(struck !== undefined && recoveryMs === undefined && { stuck: { state: status.state, lastError: status.lastError?.message } }),
      });
      say(`${fault.name}: ${recoveryMs === undefined ? "NOT RECOVERED" : `recovered in ${recoveryMs} ms`}`);
      sim.faults.reset();
      await sleep(250 + random() * 750);
    }
    await sleep(Math.max(0, endAt - Date.now()));
  } finally {
    running = false;
    await Promise.all([...scrapers, sampler]);
    final = latest;
    await exporter.stop();
    await sim.close();
  }

  const first = memory[0] ?? memorySample(gc, startedAt);
  const last = memory.at(-1) ?? first;
  const heapGrowthMb = steadyGrowth(memory.map((sample) => sample.heapUsedMb));
  const rssGrowthMb = steadyGrowth(memory.map((sample) => sample.rssMb));
  const bound = seriesBound(config, { agents: options.agents, services });
  const selfEnd = selfSampleCount(final, ns);
  const failures: string[] = [];
  if (heapGrowthMb > options.maxHeapGrowthMb) failures.push(`heap grew ${heapGrowthMb.toFixed(1)} MB after warm-up (limit ${options.maxHeapGrowthMb} MB)`);
  if (maxSeries > bound) failures.push(`statistic series reached ${maxSeries}, above the ${bound} the config allows`);
  if (selfEnd !== selfAfterWarmup) failures.push(`self-metric samples changed from ${selfAfterWarmup} to ${selfEnd} after warm-up`);
  for (const run of faults) {
    if (run.noEffect) failures.push(`fault ${run.fault} caused no error`);
    else if (run.recoveryMs === undefined) failures.push(`fault ${run.fault} did not recover (${JSON.stringify(run.stuck)})`);
  }
  if (failedScrapes > 0) failures.push(`${failedScrapes} scrapes failed`);
  if (faults.length === 0) failures.push("no fault was injected: run longer");
  if (memory.length < 4) failures.push("too few memory samples after warm-up: run longer or shorten --warmup");

  const { progress: _progress, ...shown } = options;
  return {
    ok: failures.length === 0,
    failures,
    options: shown,
    elapsedMs: Date.now() - startedAt,
    memory: { start: first, end: last, heapGrowthMb, rssGrowthMb, samples: memory.length },
    polls: sampleValue(final, `${ns}_poll_duration_seconds_count`) ?? 0,
    errors: errorsByReason(final, ns),
    series: { last: sampleValue(final, `${ns}_statistic_series`) ?? 0, max: maxSeries, bound },
    selfSamples: { afterWarmup: selfAfterWarmup, end: selfEnd },
    scrapes: { count: latencies.length, failed: failedScrapes, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: Math.max(0, ...latencies) },
    faults,
  };
}

/** The human table of a report. */
export function formatReport(report: SoakReport): string {
  const mb = (value: number) => `${value.toFixed(1)} MB`;
  const byFault = new Map<string, number[]>();
  for (const run of report.faults) byFault.set(run.fault, [...(byFault.get(run.fault) ?? []), run.recoveryMs ?? Number.NaN]);
  const rows: [string, string][] = [
    ["result", report.ok ? "PASS" : `FAIL: ${report.failures.join("; ")}`],
    ["elapsed", `${(report.elapsedMs / 1000).toFixed(1)} s`],
    ["heap used (after GC)", `${mb(report.memory.start.heapUsedMb)} → ${mb(report.memory.end.heapUsedMb)} (steady growth ${mb(report.memory.heapGrowthMb)})`],
    ["rss", `${mb(report.memory.start.rssMb)} → ${mb(report.memory.end.rssMb)} (steady growth ${mb(report.memory.rssGrowthMb)})`],
    ["polls", String(report.polls)],
    ["errors", Object.entries(report.errors).map(([reason, count]) => `${reason}=${count}`).join(" ") || "none"],
    ["statistic series", `last ${report.series.last}, max ${report.series.max}, bound ${report.series.bound}`],
    ["self-metric samples", `${report.selfSamples.afterWarmup} → ${report.selfSamples.end}`],
    ["scrapes", `${report.scrapes.count} (${report.scrapes.failed} failed), p50 ${report.scrapes.p50Ms.toFixed(1)} ms, p99 ${report.scrapes.p99Ms.toFixed(1)} ms, max ${report.scrapes.maxMs.toFixed(1)} ms`],
    ...[...byFault].map(([fault, times]): [string, string] => [
      `fault ${fault}`,
      `${times.length}× recovered in ${times.map((ms) => (Number.isNaN(ms) ? "never" : `${ms}`)).join(", ")} ms`,
    ]),
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join("\n");
}

function durationArg(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new Error(`--${name}: expected a duration like "60s", got "${value}"`);
  return ms;
}

function intArg(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new Error(`--${name}: expected an integer >= ${min}, got "${value}"`);
  return number;
}

export function parseSoakArgs(argv: string[]): SoakOptions & { quiet: boolean } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      duration: { type: "string" },
      interval: { type: "string" },
      agents: { type: "string" },
      seed: { type: "string" },
      scrapers: { type: "string" },
      warmup: { type: "string" },
      "max-heap-growth-mb": { type: "string" },
      quiet: { type: "boolean", default: false },
    },
  });
  const durationMs = durationArg("duration", values.duration, SOAK_DEFAULTS.durationMs);
  return {
    durationMs,
    intervalMs: durationArg("interval", values.interval, SOAK_DEFAULTS.intervalMs),
    agents: intArg("agents", values.agents, SOAK_DEFAULTS.agents, 1),
    seed: intArg("seed", values.seed, SOAK_DEFAULTS.seed, 0),
    scrapers: intArg("scrapers", values.scrapers, SOAK_DEFAULTS.scrapers, 1),
    // A quarter of the run by default: long enough for the JIT, caches and pools to settle.
    warmupMs: durationArg("warmup", values.warmup, Math.min(SOAK_DEFAULTS.warmupMs, durationMs / 4)),
    maxHeapGrowthMb: intArg("max-heap-growth-mb", values["max-heap-growth-mb"], SOAK_DEFAULTS.maxHeapGrowthMb, 1),
    quiet: values.quiet,
  };
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseSoakArgs>;
  try {
    options = parseSoakArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const report = await runSoak({ ...options, ...(!options.quiet && { progress: (line: string) => process.stderr.write(`${line}\n`) }) });
  process.stdout.write(`${formatReport(report)}\n${JSON.stringify(report)}\n`);
  return report.ok ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) process.exitCode = await main();
