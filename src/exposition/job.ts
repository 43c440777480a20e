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
export interface ProcessedData extends Omit<RenderedStatistics, "text" | "openMetrics"> {
  /** The text format 0.0.4. */
  statistics: PreparedStatistics;
  /** OpenMetrics: the same samples, other family headers (without `# EOF`). Single-tenant only: undefined with a tenant. */
  openMetrics?: PreparedStatistics;
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
  const { text: rendered, openMetrics: openMetricsText, ...findings } = renderStatistics(data, plan);
  const text = tenant === undefined ? rendered : withTenantLabel(rendered, tenant);
  const renderedAt = performance.now();
  // Without tenants both formats, once per poll (side by side on zlib's pool): a scrape picks the one it
  // asked for. Tenants' expositions are combined from the text format only (families merged across tenants).
  const [statistics, openMetrics] = await Promise.all([prepareStatistics(text), tenant === undefined ? prepareStatistics(openMetricsText) : undefined]);
  const timings = { parseMs: parsed - started, renderMs: renderedAt - parsed, compressMs: performance.now() - renderedAt };
  return { ...findings, statistics, ...(openMetrics && { openMetrics }), timings, ...(tenant !== undefined && { families: familySpans(text) }) };
}
