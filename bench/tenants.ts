// npm run bench -- --scenario tenants [--tenants 1000x1000,200x500] [--interval 5000] [--window 60]
// Many tenants in one exporter process: the simulator (`simulate --tenants N`) and the built exporter
// (`node dist/cli.js run`) as child processes, one config with N tenants of S series each (the bench
// agent grid, 10 series an agent). Once every tenant is ready (/readyz 200), for a window of polls:
// - polls per tenant per interval, from each tenant's brightpattern_poll_duration_seconds_count
//   (/metrics?tenant=NAME at the start and the end of the window; one poll more or less is 1/(window/interval));
// - per-tenant scrape latency (those scrapes and more, one at a time, gzip like Prometheus);
// - /healthz latency probed every 20 ms; the exporter's RSS every second (VmRSS).
// Figures only, no assertions: the goals are printed next to them.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { simulatedTenantUrls } from "../src/simulator/index.js";
import { SERIES_PER_AGENT, STATE_TIME_COLUMNS } from "./config.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

export interface TenantsFigures {
  tenants: number;
  seriesPerTenant: number;
  intervalMs: number;
  windowSeconds: number;
  readyAfterSeconds: number;
  pollsPerInterval: { min: number; median: number; max: number; withinTenPercent: number };
  scrapeMs: { count: number; median: number; p99: number; max: number };
  healthzMs: { count: number; median: number; max: number };
  rssMb: { max: number; end: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

function tenantsConfig(simulatorUrl: string, tenants: string[], agents: number, intervalMs: number): string {
  const columns = [
    { id: "login_id", stat_name: "login_id" },
    { id: "name", stat_name: "first_last_name" },
    { id: "team", stat_name: "team_name" },
    { id: "state", stat_name: "acd_state" },
    ...Object.values(STATE_TIME_COLUMNS).map(({ stat }) => ({ id: stat.toLowerCase(), stat_name: stat })),
  ];
  return JSON.stringify({
    poll: { interval: `${intervalMs}ms`, max_backoff: "30s", stale_after: `${Math.max(60_000, intervalMs * 12)}ms` },
    web: { listen_address: "127.0.0.1:0" },
    tenants: tenants.map((tenantUrl, i) => ({
      name: `t${String(i + 1).padStart(4, "0")}`,
      upstream: { url: simulatorUrl, tenant_url: tenantUrl, timeout: "30s", auth: { client_id: "wallboard", client_secret: "demo-secret" } },
      subscription: { apps: [{ app_id: "bench", agent_grids: [{ id: "agents", limit: agents, columns }] }] },
    })),
  });
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : NaN;
}

async function timed(url: string, headers: Record<string, string> = {}): Promise<{ ms: number; text: string; status: number }> {
  const started = performance.now();
  const response = await fetch(url, { headers });
  const text = await response.text();
  return { ms: performance.now() - started, text, status: response.status };
}

function pollCount(text: string): number {
  const match = /_poll_duration_seconds_count\{[^}]*\} (\d+)/.exec(text);
  return match ? Number(match[1]) : NaN;
}

function startChild(args: string[], log: (line: string) => void): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-20_000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("exit", (code, signal) => log(`${args[1] ?? args[0]} exited (${code ?? signal})`));
  return Object.assign(child, { output: () => output });
}

export async function runTenantsScenario(options: { tenants: number; seriesPerTenant: number; intervalMs: number; windowSeconds: number; log: (line: string) => void }): Promise<TenantsFigures> {
  const { tenants, seriesPerTenant, intervalMs, windowSeconds, log } = options;
  const agents = Math.max(1, Math.round(seriesPerTenant / SERIES_PER_AGENT));
  const simPort = await freePort();
  const exporterPort = await freePort();
  const children: ChildProcess[] = [];
  process.on("exit", () => children.forEach((child) => child.kill("SIGKILL")));
  try {
    const simulator = startChild(["--import", "tsx", "src/cli.ts", "simulate", "--tenants", String(tenants), "--agents", String(agents), "--port", String(simPort), "--log-level", "warn"], log);
    children.push(simulator);
    const simulatorUrl = `http://127.0.0.1:${simPort}`;
    const dir = await mkdtemp(join(tmpdir(), "bp-bench-tenants-"));
    const configPath = join(dir, "config.yaml");
    await writeFile(configPath, tenantsConfig(simulatorUrl, simulatedTenantUrls(tenants, "demo.brightpattern.local"), agents, intervalMs));
    for (let i = 0; i < 300 && !simulator.output().includes("simulator on"); i++) await sleep(100);
    const started = performance.now();
    const exporter = startChild(["dist/cli.js", "run", "--config", configPath, "--listen", `127.0.0.1:${exporterPort}`, "--log-level", "warn"], log);
    children.push(exporter);
    const base = `http://127.0.0.1:${exporterPort}`;
    const rss: number[] = [];
    const rssTimer = setInterval(() => exporter.pid !== undefined && rss.push(rssMb(exporter.pid)), 1000);
    for (;;) {
      await sleep(1000);
      const ready = await fetch(`${base}/readyz`).then((r) => r.status, () => 0);
      if (ready === 200) break;
      if (performance.now() - started > 600_000) throw new Error(`not ready after 10 minutes:\n${exporter.output()}`);
    }
    const readyAfterSeconds = (performance.now() - started) / 1000;
    log(`${tenants} tenants × ${seriesPerTenant} series ready after ${readyAfterSeconds.toFixed(1)} s`);

    const names = Array.from({ length: tenants }, (_, i) => `t${String(i + 1).padStart(4, "0")}`);
    const scrapes: number[] = [];
    const scrape = async (name: string) => {
      const answer = await timed(`${base}/metrics?tenant=${name}`, { "accept-encoding": "gzip" });
      scrapes.push(answer.ms);
      return answer.text;
    };
    const health: number[] = [];
    let probing = true;
    const prober = (async () => {
      while (probing) {
        health.push((await timed(`${base}/healthz`)).ms);
        await sleep(20);
      }
    })();
    // Each tenant's poll count at its own first and last scrape: polls done / intervals passed between them.
    const before = new Map<string, { count: number; at: number }>();
    for (const name of names) before.set(name, { count: pollCount(await scrape(name)), at: performance.now() });
    const windowStart = performance.now();
    while (performance.now() - windowStart < windowSeconds * 1000) await scrape(names[Math.floor(Math.random() * names.length)]!);
    const polls: number[] = [];
    for (const name of names) {
      const count = pollCount(await scrape(name));
      const first = before.get(name)!;
      polls.push((count - first.count) / ((performance.now() - first.at) / intervalMs));
    }
    probing = false;
    await prober;
    clearInterval(rssTimer);
    const sortedPolls = [...polls].sort((a, b) => a - b);
    const sortedScrapes = [...scrapes].sort((a, b) => a - b);
    const sortedHealth = [...health].sort((a, b) => a - b);
    return {
      tenants,
      seriesPerTenant,
      intervalMs,
      windowSeconds,
      readyAfterSeconds,
      pollsPerInterval: {
        min: sortedPolls[0]!,
        median: quantile(sortedPolls, 0.5),
        max: sortedPolls.at(-1)!,
        withinTenPercent: polls.filter((p) => p >= 0.9 && p <= 1.1).length / polls.length,
      },
      scrapeMs: { count: scrapes.length, median: quantile(sortedScrapes, 0.5), p99: quantile(sortedScrapes, 0.99), max: sortedScrapes.at(-1)! },
      healthzMs: { count: health.length, median: quantile(sortedHealth, 0.5), max: sortedHealth.at(-1)! },
      rssMb: { max: Math.max(...rss), end: rss.at(-1) ?? NaN },
    };
  } finally {
    for (const child of children.reverse()) {
      child.kill("SIGTERM");
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
    }
  }
}

export function formatTenants(figures: TenantsFigures): string {
  const f = (n: number, d = 1) => n.toFixed(d);
  const p = figures.pollsPerInterval;
  return [
    `tenants ${figures.tenants} × ${figures.seriesPerTenant} series (${figures.tenants * figures.seriesPerTenant} series), interval ${figures.intervalMs} ms, window ${figures.windowSeconds} s; all ready after ${f(figures.readyAfterSeconds)} s`,
    `  polls per tenant per interval: median ${f(p.median, 2)}, min ${f(p.min, 2)}, max ${f(p.max, 2)}; within ±10 %: ${f(p.withinTenPercent * 100)} % of tenants (goal: all)`,
    `  per-tenant scrape (gzip): median ${f(figures.scrapeMs.median, 2)} ms, p99 ${f(figures.scrapeMs.p99)} ms, max ${f(figures.scrapeMs.max)} ms over ${figures.scrapeMs.count} (goal: median <= 2 ms)`,
    `  /healthz: median ${f(figures.healthzMs.median, 2)} ms, max ${f(figures.healthzMs.max)} ms over ${figures.healthzMs.count} probes (goal: never above 50 ms)`,
    `  exporter RSS: max ${f(figures.rssMb.max, 0)} MB, at the end ${f(figures.rssMb.end, 0)} MB`,
  ].join("\n");
}

/** The scenario from the command line: `--tenants 1000x1000,200x500`. */
export async function runTenantsCommand(spec: string, intervalMs: number, windowSeconds: number, log: (line: string) => void): Promise<TenantsFigures[]> {
  log("building dist/ (the bench runs the compiled exporter)");
  execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "inherit" });
  const results: TenantsFigures[] = [];
  for (const part of spec.split(",")) {
    const match = /^(\d+)x(\d+)$/.exec(part.trim());
    if (!match) throw new Error(`--tenants: "${part}" is not TENANTSxSERIES like 1000x1000`);
    const figures = await runTenantsScenario({ tenants: Number(match[1]), seriesPerTenant: Number(match[2]), intervalMs, windowSeconds, log });
    console.log(formatTenants(figures));
    results.push(figures);
  }
  return results;
}
