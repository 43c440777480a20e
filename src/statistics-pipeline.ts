// From one upstream data body to statistics ready to serve: parse, map and render, compress. Runs once per
// poll, in a worker thread; a scrape only serves its result.
// Why a thread: at 100k series the data body is ~4 MB, and JSON.parse of it (~40 ms), the render (~50 ms)
// and the GC after them block whichever thread runs them (bench/: the longest block on the main thread was
// over 100 ms). In the worker the main thread keeps answering scrapes and probes, and only clones the body
// in and takes the finished bytes back as transferred buffers (no copy).
import { channel } from "node:diagnostics_channel";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { type ResourceLimits, Worker } from "node:worker_threads";
import type { MetricPlan } from "./metrics/plan.js";
import type { ProcessedData, StatisticsTimings } from "./statistics-job.js";
import type { JobAnswer, JobRequest } from "./statistics-protocol.js";
import { StatsApiError } from "./statsapi/errors.js";

export type { ProcessedData, StatisticsTimings } from "./statistics-job.js";

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
  resolve: (processed: ProcessedData & { timings: StatisticsTimings }) => void;
  reject: (error: Error) => void;
}

function rebuildError(error: Extract<JobAnswer, { ok: false }>["error"]): Error {
  if (error.code === undefined || error.operation === undefined) return new Error(`statistics worker: ${error.message}`);
  const prefix = `${error.operation}: `;
  const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return new StatsApiError(error.code, message, { operation: error.operation, ...(error.status !== undefined && { status: error.status }) });
}

/** Starts the worker from the built .js, or from the .ts sources through tsx (dev, tests, benchmarks). */
function startWorkerThread(resourceLimits: ResourceLimits): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const entry = new URL(fromSource ? "./statistics-worker.ts" : "./statistics-worker.js", import.meta.url);
  if (!fromSource) return new Worker(entry, { resourceLimits });
  // tsx's ESM API by path (its CommonJS build fails inside a worker); the parent's tsx flags do not carry over to workers.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const boot = `const { workerData } = require("node:worker_threads");
import(workerData.tsx).then(({ tsImport }) => tsImport(workerData.entry, workerData.entry));`;
  return new Worker(boot, { eval: true, execArgv: [], resourceLimits, workerData: { tsx, entry: entry.href } });
}

/** One lazily started worker. Idle, it does not keep the process alive; if it dies, pending jobs fail and the next one restarts it. */
export class StatisticsWorker {
  private worker: Worker | undefined;
  /** The plan the worker holds (it is sent once, not cloned with every body). */
  private workerPlan: MetricPlan | undefined;
  private readonly planIds = new WeakMap<MetricPlan, number>();
  private nextPlanId = 0;
  private nextJobId = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly resourceLimits: ResourceLimits = {}) {}

  process(body: string, plan: MetricPlan): Promise<ProcessedData & { timings: StatisticsTimings }> {
    const worker = (this.worker ??= this.start());
    let planId = this.planIds.get(plan);
    if (planId === undefined) this.planIds.set(plan, (planId = this.nextPlanId++));
    const request: JobRequest = { id: this.nextJobId++, body, planId };
    if (this.workerPlan !== plan) {
      request.plan = plan;
      this.workerPlan = plan;
    }
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      worker.ref();
      worker.postMessage(request);
    });
  }

  /** Stops the worker; pending jobs fail. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = startWorkerThread(this.resourceLimits);
    this.workerPlan = undefined;
    worker.unref();
    worker.on("message", (answer: JobAnswer) => {
      const pending = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      if (this.pending.size === 0) worker.unref();
      if (pending === undefined) return;
      if (!answer.ok) {
        pending.reject(rebuildError(answer.error));
        return;
      }
      const { plain, deflated, crc32 } = answer.statistics;
      pending.resolve({
        statistics: { plain: Buffer.from(plain), deflated: Buffer.from(deflated), crc32 },
        series: answer.series,
        invalidValues: answer.invalidValues,
        timings: answer.timings,
      });
    });
    const failAll = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    };
    worker.on("error", (error) => failAll(new Error(`statistics worker failed: ${error.message}`)));
    worker.on("exit", (code) => failAll(new Error(`statistics worker exited with code ${code}`)));
    return worker;
  }
}

// A bounded old generation makes V8 give memory back after each poll instead of growing towards its default
// (a share of the machine's RAM): measured at 100k series, RSS 241 MB instead of 323 after 8 polls (1 GB:
// 281 MB). 250k series need between 64 and 128 MB (64 runs out of memory): 512 leaves room for bigger grids.
const sharedWorker = new StatisticsWorker({ maxOldGenerationSizeMb: 512 });

export async function processDataBody(body: string, plan: MetricPlan): Promise<ProcessedData> {
  const startedAt = performance.timeOrigin + performance.now();
  const { timings, ...processed } = await sharedWorker.process(body, plan);
  if (processedChannel.hasSubscribers) {
    const event: StatisticsProcessedEvent = {
      startedAt,
      endedAt: performance.timeOrigin + performance.now(),
      bodyChars: body.length,
      series: processed.series,
      timings,
    };
    processedChannel.publish(event);
  }
  return processed;
}

/** Stops the shared worker (it is restarted by the next poll). The process may exit without it: an idle worker is unref'd. */
export function closeStatisticsWorker(): Promise<void> {
  return sharedWorker.close();
}
