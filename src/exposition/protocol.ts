// The messages between the main thread (worker.ts) and the worker thread (worker-entry.ts).
import type { MetricPlan } from "../metrics/plan.js";
import type { StatisticsJobResult } from "./job.js";
import type { StatsApiErrorCode } from "../statsapi/errors.js";

export interface JobRequest {
  id: number;
  body: string;
  planId: number;
  /** Sent with the first job of each plan only. */
  plan?: MetricPlan;
  /** With several tenants: the tenant label of every series. */
  tenant?: string;
}

/** Prepared statistics whose chunks are views into the answer's transferred buffers. */
export interface TransferredStatistics {
  /** Each chunk as [index in JobSuccess.buffers, byte offset, byte length]. */
  chunks: [number, number, number][];
  byteLength: number;
  deflated: ArrayBuffer;
  crc32: number;
}

/**
 * The job's result with the statistics' bytes (both formats) as transferable ArrayBuffers; the formats
 * share the buffer of the samples, sent once.
 */
export interface JobSuccess extends Omit<StatisticsJobResult, "statistics" | "openMetrics"> {
  id: number;
  ok: true;
  buffers: ArrayBuffer[];
  statistics: TransferredStatistics;
  openMetrics?: TransferredStatistics;
}

/** Errors lose their class crossing threads: a StatsApiError travels as its fields and is rebuilt. */
export interface JobFailure {
  id: number;
  ok: false;
  error: { message: string; code?: StatsApiErrorCode; operation?: string; status?: number | undefined };
}

export type JobAnswer = JobSuccess | JobFailure;
