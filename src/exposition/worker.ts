// From one upstream data body to statistics ready to serve: parse, map and render, compress (job.ts), once
// per poll, in a worker thread; a scrape only serves the result.
// Why a thread: at 100k series, parsing and rendering the data body and the GC after them block whichever
// thread runs them for longer than a probe may wait (docs/performance.md). In the worker the main thread
// keeps answering scrapes and probes, and only clones the body in and takes the finished bytes back as
// transferred buffers (no copy).
import { channel } from "node:diagnostics_channel";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { type ResourceLimits, Worker } from "node:worker_threads";
import type { MetricPlan } from "../metrics/plan.js";
import { StatsApiError } from "../statsapi/errors.js";
import type { StatisticsJobResult, StatisticsTimings } from "./job.js";
import type { JobAnswer, JobRequest, TransferredStatistics } from "./protocol.js";
import type { PreparedStatistics } from "./prepared-statistics.js";

/** diagnostics_channel name: a `StatisticsProcessedEvent` per processed poll (the benchmark listens). */
export const STATISTICS_CHANNEL = "brightpattern:statistics-processed";
const processedChannel = channel(STATISTICS_CHANNEL);

export interface StatisticsProcessedEvent {
  /** Epoch ms when the body was handed over, and when the statistics were ready to serve. */
  startedAt: number;
  endedAt: number;
  bodyChars: number;
  series: number;
  timings: StatisticsTimings;
}

interface Pending {
  resolve: (processed: StatisticsJobResult) => void;
  reject: (error: Error) => void;
}

function rebuildError(error: Extract<JobAnswer, { ok: false }>["error"]): Error {
  if (error.code === undefined || error.operation === undefined) return new Error(`statistics worker: ${error.message}`);
  return new StatsApiError(error.code, error.message, { operation: error.operation, ...(error.status !== undefined && { status: error.status }) });
}

// A bounded old generation makes V8 give memory back after each poll instead of growing towards its
// default (a share of the machine's RAM); 512 MB leaves room for grids well past 100k series (docs/performance.md).
export const DEFAULT_WORKER_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 512 };

/** Starts the worker from the built .js, or from the .ts sources through tsx (dev, tests, benchmarks). */
function startWorkerThread(resourceLimits: ResourceLimits): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const entry = new URL(fromSource ? "./worker-entry.ts" : "./worker-entry.js", import.meta.url);
  if (!fromSource) return new Worker(entry, { resourceLimits });
  // tsx's ESM API by path (its CommonJS build fails inside a worker); the parent's tsx flags do not carry over to workers.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const boot = `const { workerData } = require("node:worker_threads");
import(workerData.tsx).then(({ tsImport }) => tsImport(workerData.entry, workerData.entry));`;
  return new Worker(boot, { eval: true, execArgv: [], resourceLimits, workerData: { tsx, entry: entry.href } });
}

/** Transferred bytes back as Buffers (views, no copy). */
function received(buffers: readonly ArrayBuffer[], bytes: TransferredStatistics): PreparedStatistics {
  return {
    chunks: bytes.chunks.map(([index, offset, length]) => Buffer.from(buffers[index]!, offset, length)),
    byteLength: bytes.byteLength,
    deflated: Buffer.from(bytes.deflated),
    crc32: bytes.crc32,
  };
}

/**
 * How long the worker may go without finishing any job while jobs wait: then it is taken as stuck (every
 * tenant's polls wait on it), stopped, and its jobs fail; the next job starts a new one. Far above any real
 * poll (~0.5 s at 250k series, docs/performance.md).
 */
export const STUCK_AFTER_MS = 30_000;

/**
 * One lazily started worker thread, owned by one exporter (closed with it). Idle, it does not keep the
 * process alive; if it dies or is stuck, pending jobs fail and the next job restarts it.
 */
export class StatisticsWorker {
  private worker: Worker | undefined;
  /** The plans the worker holds (each is sent once, not cloned with every body). */
  private workerPlans = new WeakSet<MetricPlan>();
  private readonly planIds = new WeakMap<MetricPlan, number>();
  private nextPlanId = 0;
  private nextJobId = 0;
  private readonly pending = new Map<number, Pending>();
  /**
   * Armed while jobs wait on a started worker (its start-up is not counted), re-armed at each answer: fires
   * when the worker finished nothing for stuckAfterMs.
   */
  private watchdog: NodeJS.Timeout | undefined;
  private readonly online = new WeakSet<Worker>();

  constructor(
    private readonly resourceLimits: ResourceLimits = DEFAULT_WORKER_LIMITS,
    private readonly stuckAfterMs = STUCK_AFTER_MS,
    /** Another worker script (a .js or .mjs file): tests give one that never answers. */
    private readonly entry?: URL,
  ) {}

  /** Processes one data body; announces it on STATISTICS_CHANNEL when anyone listens. */
  async process(body: string, plan: MetricPlan, tenant?: string): Promise<StatisticsJobResult> {
    const startedAt = performance.timeOrigin + performance.now();
    const result = await this.run(body, plan, tenant);
    if (processedChannel.hasSubscribers) {
      const event: StatisticsProcessedEvent = {
        startedAt,
        endedAt: performance.timeOrigin + performance.now(),
        bodyChars: body.length,
        series: result.series,
        timings: result.timings,
      };
      processedChannel.publish(event);
    }
    return result;
  }

  private run(body: string, plan: MetricPlan, tenant: string | undefined): Promise<StatisticsJobResult> {
    const worker = (this.worker ??= this.start());
    let planId = this.planIds.get(plan);
    if (planId === undefined) this.planIds.set(plan, (planId = this.nextPlanId++));
    const request: JobRequest = { id: this.nextJobId++, body, planId, ...(tenant !== undefined && { tenant }) };
    if (!this.workerPlans.has(plan)) {
      request.plan = plan;
      this.workerPlans.add(plan);
    }
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      worker.ref();
      worker.postMessage(request);
      if (this.online.has(worker)) this.watchdog ??= this.armWatchdog(worker);
    });
  }

  private armWatchdog(worker: Worker): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.watchdog = undefined;
      if (this.worker !== worker || this.pending.size === 0) return;
      this.failAll(worker, new Error(`statistics worker finished nothing in ${this.stuckAfterMs / 1000} s: stopped, restarted at the next poll`));
      void worker.terminate();
    }, this.stuckAfterMs);
    return timer.unref();
  }

  /** Fails every pending job of `worker` if it is the current one; the next job starts a new worker. */
  private failAll(worker: Worker, error: Error): void {
    if (this.worker !== worker) return; // a worker already replaced: the pending jobs are the new one's
    this.worker = undefined;
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  /** Stops the worker; pending jobs fail. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (worker === undefined) return;
    this.failAll(worker, new Error("statistics worker closed"));
    await worker.terminate();
  }

  private start(): Worker {
    const worker = this.entry ? new Worker(this.entry, { resourceLimits: this.resourceLimits }) : startWorkerThread(this.resourceLimits);
    this.workerPlans = new WeakSet();
    worker.unref();
    worker.on("message", (answer: JobAnswer) => {
      // A late answer of a worker already replaced: its jobs have failed, and the watchdog is the new one's.
      if (this.worker !== worker) return;
      const pending = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      clearTimeout(this.watchdog);
      this.watchdog = this.pending.size > 0 ? this.armWatchdog(worker) : undefined;
      if (this.pending.size === 0) worker.unref();
      if (pending === undefined) return;
      if (!answer.ok) {
        pending.reject(rebuildError(answer.error));
        return;
      }
      const { id: _id, ok: _ok, buffers, statistics, openMetrics, ...result } = answer;
      pending.resolve({ ...result, statistics: received(buffers, statistics), ...(openMetrics && { openMetrics: received(buffers, openMetrics) }) });
    });
    worker.once("online", () => {
      this.online.add(worker);
      if (this.worker === worker && this.pending.size > 0) this.watchdog ??= this.armWatchdog(worker);
    });
    worker.on("error", (error) => this.failAll(worker, new Error(`statistics worker failed: ${error.message}`)));
    worker.on("exit", (code) => this.failAll(worker, new Error(`statistics worker exited with code ${code}`)));
    return worker;
  }
}
