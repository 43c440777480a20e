// The messages between the main thread (statistics-pipeline.ts) and the statistics worker.
import type { MetricPlan } from "./metrics/plan.js";
import type { StatisticsTimings } from "./statistics-job.js";
import type { StatsApiErrorCode } from "./statsapi/errors.js";

export interface JobRequest {
  id: number;
  body: string;
  planId: number;
  /** Sent with the first job of each plan only. */
  plan?: MetricPlan;
}

export interface JobSuccess {
  id: number;
  ok: true;
  statistics: { plain: ArrayBuffer; deflated: ArrayBuffer; crc32: number };
  series: number;
  invalidValues: number;
  timings: StatisticsTimings;
}

/** Errors lose their class crossing threads: a StatsApiError travels as its fields and is rebuilt. */
export interface JobFailure {
  id: number;
  ok: false;
  error: { message: string; code?: StatsApiErrorCode; operation?: string; status?: number | undefined };
}

export type JobAnswer = JobSuccess | JobFailure;
