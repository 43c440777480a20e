// The benchmark: for each size, the exporter ("ours"), the prom-client baseline ("naive") and a static buffer
// ("floor") serve the same simulated contact center; scrapers, probes and the simulator run in other processes.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Pool } from "undici";
import { APP_ID, GRID_ID, parseSize } from "./config.js";
import { Child } from "./child.js";
import { type LatencyStats, fetchTimed, latencyStats, probeHealth, scrapeLoad } from "./load.js";
import type { WatchedValue } from "./simulator-process.js";
import type { ProcessingEvent, TargetKind, TargetOptions } from "./target-process.js";

export interface BenchOptions {
  sizes: string[];
  quick: boolean;
  intervalMs: number;
  /**
   * Run the children from the .ts sources through tsx (seconds faster to start, for the CI smoke run) instead
   * of compiling them first: tsx adds ~60 MB RSS and its own start-up work to every process it runs.
   */
  fromSource?: boolean;
  log?: (line: string) => void;
}

export type Encoding = "plain" | "gzip";
export type Concurrency = "c1" | "c10";
export type ScrapeTable = Record<Encoding, Record<Concurrency, LatencyStats & { bytes: number }>>;

export interface ProcessingFigures {
  polls: number;
  medianMs: number;
  maxMs: number;
  parseMs: number;
  renderMs: number;
  compressMs: number;
  /** Longest event-loop block (monitorEventLoopDelay max, 1 ms resolution) over the polls, without scrapes. */
  longestBlockMs: number;
  /** Longest main-thread GC pause over the same polls. */
  longestGcMs: number;
  /** Slowest /healthz probe (one in flight at a time, 1 ms apart) while a poll was being processed. */
  healthzDuringMaxMs: number;
  healthzProbes: number;
}

export interface MemoryFigures {
  rssMB: number;
  heapUsedMB: number;
  externalMB: number;
  /** RSS after the polls alone, before any scrape. */
  rssBeforeScrapesMB: number;
}

export interface SizeResult {
  size: string;
  agents: number;
  series: number;
  scrape: Record<TargetKind, ScrapeTable>;
  /** ours/naive and ours/floor of the median, per encoding and concurrency. */
  ratios: { vsNaive: Record<Encoding, Record<Concurrency, number>>; vsFloor: Record<Encoding, Record<Concurrency, number>> };
  /** Longest event-loop block of ours while serving the scrape load (polls going on), and its longest GC pause. */
  longestBlockUnderLoadMs: number;
  longestGcUnderLoadMs: number;
  processing: { ours: ProcessingFigures; naive: ProcessingFigures };
  memory: { ours: MemoryFigures; naive: MemoryFigures };
  freshness: { intervalMs: number; samples: number[]; medianMs: number; maxMs: number };
  upstream: { scrapers: number; intervals: number; dataRequests: number; perInterval: number };
}

export interface BenchResult {
  startedAt: string;
  machine: { cpus: string; cores: number; node: string; platform: string; memoryGB: number };
  options: Omit<BenchOptions, "log">;
  sizes: SizeResult[];
}

const BUILD_DIR = new URL("../.tmp/bench-build/", import.meta.url);

/** The child entry points: compiled with tsc (like `npm run build`) into .tmp/bench-build/, or the sources. */
async function childEntries(fromSource: boolean): Promise<{ target: URL; simulator: URL }> {
  if (fromSource) return { target: new URL("./target-process.ts", import.meta.url), simulator: new URL("./simulator-process.ts", import.meta.url) };
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  // Type errors elsewhere in the tree (other work in progress) still emit JavaScript: only a missing output is fatal.
  await promisify(execFile)(process.execPath, [tsc, "-p", fileURLToPath(new URL("./tsconfig.build.json", import.meta.url))]).catch((error: unknown) => {
    if (!existsSync(new URL("bench/target-process.js", BUILD_DIR))) throw error;
  });
  // src/version.ts reads the package.json one level above src/.
  await copyFile(new URL("../package.json", import.meta.url), new URL("package.json", BUILD_DIR));
  return { target: new URL("bench/target-process.js", BUILD_DIR), simulator: new URL("bench/simulator-process.js", BUILD_DIR) };
}
const ENCODINGS: Encoding[] = ["plain", "gzip"];
const CONCURRENCIES: [Concurrency, number][] = [
  ["c1", 1],
  ["c10", 10],
];
const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const median = (values: number[]) => latencyStats(values).median;

type Entries = Awaited<ReturnType<typeof childEntries>>;

async function startTarget(entries: Entries, options: TargetOptions): Promise<{ child: Child; url: string }> {
  const { child, ready } = await Child.start<{ url: string }>(entries.target, options);
  return { child, url: ready.url };
}

/** Waits until /metrics carries the agent grid (the first poll after subscribing may be a 204). */
async function waitForData(url: string): Promise<void> {
  const pool = new Pool(url, { connections: 1 });
  try {
    for (let tries = 0; tries < 600; tries++) {
      const { text } = await fetchTimed(pool, "/metrics", false, true);
      if (text?.includes(`grid="${GRID_ID}"`)) return;
      await sleep(100);
    }
    throw new Error(`${url}/metrics never showed the agent grid`);
  } finally {
    await pool.close();
  }
}

async function scrapeTable(url: string, quick: boolean): Promise<ScrapeTable> {
  const table = {} as ScrapeTable;
  for (const encoding of ENCODINGS) {
    table[encoding] = {} as ScrapeTable[Encoding];
    for (const [name, concurrency] of CONCURRENCIES) {
      const load = await scrapeLoad({
        url,
        path: "/metrics",
        gzip: encoding === "gzip",
        concurrency,
        budgetMs: quick ? 300 : 3000,
        maxPerScraper: quick ? 5 : concurrency === 1 ? 100 : 30,
      });
      const stats = latencyStats(load.latencies);
      table[encoding][name] = { ...stats, median: round(stats.median), p99: round(stats.p99), max: round(stats.max), bytes: load.bytes };
    }
  }
  return table;
}

/** Watches `polls` poll intervals with /healthz probes and nothing else going on. */
async function processingFigures(target: Child, url: string, intervalMs: number, polls: number): Promise<ProcessingFigures> {
  await target.call("events");
  await target.call("resetDelay");
  const probes = await probeHealth(url, 1, sleep(polls * intervalMs + 200));
  const events = (await target.call("events")) as ProcessingEvent[];
  const delay = (await target.call("delay")) as { max: number; longestGc: number };
  const during = probes.filter((p) => events.some((e) => p.at <= e.endedAt && p.at + p.ms >= e.startedAt));
  const totals = events.map((e) => e.endedAt - e.startedAt);
  return {
    polls: events.length,
    medianMs: round(median(totals)),
    maxMs: round(Math.max(...totals)),
    parseMs: round(median(events.map((e) => e.timings.parseMs))),
    renderMs: round(median(events.map((e) => e.timings.renderMs))),
    compressMs: round(median(events.map((e) => e.timings.compressMs))),
    longestBlockMs: round(delay.max),
    longestGcMs: round(delay.longestGc),
    healthzDuringMaxMs: round(Math.max(0, ...during.map((p) => p.ms))),
    healthzProbes: during.length,
  };
}

const mb = (bytes: number) => round(bytes / 2 ** 20, 1);

async function memoryFigures(target: Child, rssBeforeScrapes: number): Promise<MemoryFigures> {
  const memory = (await target.call("memory")) as NodeJS.MemoryUsage;
  return { rssMB: mb(memory.rss), heapUsedMB: mb(memory.heapUsed), externalMB: mb(memory.external), rssBeforeScrapesMB: mb(rssBeforeScrapes) };
}

async function rssOf(target: Child): Promise<number> {
  return ((await target.call("memory")) as NodeJS.MemoryUsage).rss;
}

/** Ticks the simulator at a random point of the poll cycle and times until /metrics shows the new value. */
async function freshness(simulator: Child, url: string, intervalMs: number, samples: number): Promise<number[]> {
  const pool = new Pool(url, { connections: 1, bodyTimeout: 120_000 });
  const result: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      await sleep(Math.random() * intervalMs);
      const watched = (await simulator.call("tick")) as WatchedValue;
      const changedAt = Date.now();
      const line = `\n${watched.family}{app_id="${APP_ID}",grid="${GRID_ID}",agent="${watched.agent}"} ${watched.value}\n`;
      for (;;) {
        const { text } = await fetchTimed(pool, "/metrics", false, true);
        if (text?.includes(line)) break;
        if (Date.now() - changedAt > 10 * intervalMs + 10_000) throw new Error(`freshness: ${line.trim()} never appeared`);
      }
      result.push(Date.now() - changedAt);
    }
  } finally {
    await pool.close();
  }
  return result;
}

/** Data requests the simulator answered while 10 scrapers hammered the exporter for `intervals` poll intervals. */
async function upstreamLoad(simulator: Child, url: string, intervalMs: number, intervals: number): Promise<SizeResult["upstream"]> {
  const since = Date.now();
  await scrapeLoad({ url, path: "/metrics", gzip: true, concurrency: 10, budgetMs: intervals * intervalMs, maxPerScraper: Number.MAX_SAFE_INTEGER });
  const elapsed = Date.now() - since;
  const dataRequests = (await simulator.call("dataRequests", since)) as number;
  return { scrapers: 10, intervals: round(elapsed / intervalMs), dataRequests, perInterval: round(dataRequests / (elapsed / intervalMs)) };
}

function ratios(scrape: Record<TargetKind, ScrapeTable>, over: TargetKind): Record<Encoding, Record<Concurrency, number>> {
  const out = {} as Record<Encoding, Record<Concurrency, number>>;
  for (const encoding of ENCODINGS) {
    out[encoding] = {} as Record<Concurrency, number>;
    for (const [name] of CONCURRENCIES) out[encoding][name] = round(scrape.ours[encoding][name].median / scrape[over][encoding][name].median, 3);
  }
  return out;
}

async function benchSize(sizeText: string, options: BenchOptions, entries: Entries): Promise<SizeResult> {
  const log = options.log ?? (() => undefined);
  const { agents } = parseSize(sizeText);
  const { intervalMs, quick } = options;
  const { child: simulator, ready } = await Child.start<{ url: string }>(entries.simulator, { agents });
  const targetOptions = { upstreamUrl: ready.url, agents, intervalMs };
  const scrape = {} as Record<TargetKind, ScrapeTable>;
  try {
    log(`${sizeText}: exporter`);
    const ours = await startTarget(entries, { ...targetOptions, kind: "ours" });
    let oursFigures;
    try {
      await waitForData(ours.url);
      const processing = await processingFigures(ours.child, ours.url, intervalMs, quick ? 2 : 5);
      const rssBeforeScrapes = await rssOf(ours.child);
      await ours.child.call("resetDelay");
      scrape.ours = await scrapeTable(ours.url, quick);
      const underLoad = (await ours.child.call("delay")) as { max: number; longestGc: number };
      const [longestBlockUnderLoadMs, longestGcUnderLoadMs] = [round(underLoad.max), round(underLoad.longestGc)];
      const upstream = await upstreamLoad(simulator, ours.url, intervalMs, quick ? 2 : 5);
      const memory = await memoryFigures(ours.child, rssBeforeScrapes);
      const samples = await freshness(simulator, ours.url, intervalMs, quick ? 2 : 8);
      const series = ((await ours.child.call("events")) as ProcessingEvent[]).at(-1)?.series ?? 0;
      oursFigures = { processing, longestBlockUnderLoadMs, longestGcUnderLoadMs, upstream, memory, samples, series };
    } finally {
      await ours.child.stop();
    }
    log(`${sizeText}: naive prom-client`);
    const naive = await startTarget(entries, { ...targetOptions, kind: "naive" });
    let naiveFigures;
    try {
      await waitForData(naive.url);
      const processing = await processingFigures(naive.child, naive.url, intervalMs, quick ? 1 : 3);
      const rssBeforeScrapes = await rssOf(naive.child);
      scrape.naive = await scrapeTable(naive.url, quick);
      naiveFigures = { processing, memory: await memoryFigures(naive.child, rssBeforeScrapes) };
    } finally {
      await naive.child.stop();
    }
    log(`${sizeText}: static floor`);
    const floor = await startTarget(entries, { ...targetOptions, kind: "floor" });
    try {
      scrape.floor = await scrapeTable(floor.url, quick);
    } finally {
      await floor.child.stop();
    }
    return {
      size: sizeText,
      agents,
      series: oursFigures.series,
      scrape,
      ratios: { vsNaive: ratios(scrape, "naive"), vsFloor: ratios(scrape, "floor") },
      longestBlockUnderLoadMs: oursFigures.longestBlockUnderLoadMs,
      longestGcUnderLoadMs: oursFigures.longestGcUnderLoadMs,
      processing: { ours: oursFigures.processing, naive: naiveFigures.processing },
      memory: { ours: oursFigures.memory, naive: naiveFigures.memory },
      freshness: { intervalMs, samples: oursFigures.samples, medianMs: median(oursFigures.samples), maxMs: Math.max(...oursFigures.samples) },
      upstream: oursFigures.upstream,
    };
  } finally {
    await simulator.stop();
  }
}

export async function runBenchmark(options: BenchOptions): Promise<BenchResult> {
  const os = await import("node:os");
  const result: BenchResult = {
    startedAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus()[0]?.model ?? "unknown",
      cores: os.availableParallelism(),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      memoryGB: round(os.totalmem() / 2 ** 30, 1),
    },
    options: { sizes: options.sizes, quick: options.quick, intervalMs: options.intervalMs, fromSource: options.fromSource ?? false },
    sizes: [],
  };
  options.log?.(options.fromSource ? "running from the sources (tsx)" : "compiling into .tmp/bench-build/");
  const entries = await childEntries(options.fromSource ?? false);
  for (const size of options.sizes) result.sizes.push(await benchSize(size, options, entries));
  return result;
}
