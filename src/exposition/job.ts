// The work of one poll on its data body, as run by the statistics worker thread: parse the JSON, render the
// exposition, encode and deflate it. Timed step by step, for the benchmark and the debug log.
import { performance } from "node:perf_hooks";
import type { MetricPlan } from "../metrics/plan.js";
import { type RenderedStatistics, renderStatistics } from "../metrics/render.js";
import { parseSubscriptionData } from "../statsapi/subscription-data.js";
import { type PreparedStatistics, prepareStatistics } from "./prepared-statistics.js";
import { type FamilySpan, familySpans, withTenantLabel } from "./tenant-label.js";

/** Milliseconds spent in each step of one poll's processing. */
export interface StatisticsTimings {
  parseMs: number;
  renderMs: number;
  /** UTF-8 encoding, deflate and CRC-32 (the deflate runs on zlib's thread pool). */
  compressMs: number;
}

/** One poll's statistics ready to serve, with what the render found (counts, bad values, missing parts). */
export interface ProcessedData extends Omit<RenderedStatistics, "text"> {
  statistics: PreparedStatistics;
  /** With a tenant: where each family lies in `statistics.plain` (to serve several tenants as one exposition). */
  families?: FamilySpan[];
}

export interface StatisticsJobResult extends ProcessedData {
  timings: StatisticsTimings;
}

/** `tenant`: the config has several tenants; every series gets tenant="NAME". */
export async function runStatisticsJob(body: string, plan: MetricPlan, tenant?: string): Promise<StatisticsJobResult> {
  const started = performance.now();
  const data = parseSubscriptionData(body);
  const parsed = performance.now();
  const { text: rendered, ...findings } = renderStatistics(data, plan);
  const text = tenant === undefined ? rendered : withTenantLabel(rendered, tenant);
  const renderedAt = performance.now();
  const statistics = await prepareStatistics(text);
  const timings = { parseMs: parsed - started, renderMs: renderedAt - parsed, compressMs: performance.now() - renderedAt };
  return { ...findings, statistics, timings, ...(tenant !== undefined && { families: familySpans(text) }) };
}
