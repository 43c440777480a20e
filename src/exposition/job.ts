// The work of one poll on its data body, as run by the statistics worker thread: parse the JSON, render the
// exposition, encode and deflate it. Timed step by step, for the benchmark and the debug log.
import { performance } from "node:perf_hooks";
import type { MetricPlan } from "../metrics/plan.js";
import { type RenderedFamilies, renderFamilies } from "../metrics/render.js";
import { parseSubscriptionData } from "../statsapi/subscription-data.js";
import { encodeFamilies, withOtherHeaders } from "./family-bytes.js";
import { type PreparedStatistics, prepareStatistics } from "./prepared-statistics.js";
import { type FamilySpan, withTenantLabel } from "./tenant-label.js";

/** Milliseconds spent in each step of one poll's processing. */
export interface StatisticsTimings {
  parseMs: number;
  renderMs: number;
  /** UTF-8 encoding, deflate and CRC-32 (the deflate runs on zlib's thread pool). */
  compressMs: number;
}

/** One poll's statistics ready to serve, with what the render found (counts, bad values, missing parts). */
export interface ProcessedData extends Omit<RenderedFamilies, "families"> {
  /** The text format 0.0.4: one chunk. */
  statistics: PreparedStatistics;
  /**
   * OpenMetrics: the same samples (slices of the text format's chunk), other family headers, without
   * `# EOF`. Single-tenant only: undefined with a tenant.
   */
  openMetrics?: PreparedStatistics;
  /** Where each family lies in the text format's chunk (to serve several tenants as one exposition). */
  families: FamilySpan[];
}

export interface StatisticsJobResult extends ProcessedData {
  timings: StatisticsTimings;
}

/** `tenant`: the config has several tenants; every series gets tenant="NAME". */
export async function runStatisticsJob(body: string, plan: MetricPlan, tenant?: string): Promise<StatisticsJobResult> {
  const started = performance.now();
  const data = parseSubscriptionData(body, plan.maxSeries);
  const parsed = performance.now();
  const { families: rendered, ...findings } = renderFamilies(data, plan);
  const families = tenant === undefined ? rendered : rendered.map((family) => ({ ...family, samples: withTenantLabel(family.samples, tenant) }));
  const renderedAt = performance.now();
  const text = encodeFamilies(families);
  // Without tenants both formats, once per poll (side by side on zlib's pool): a scrape picks the one it
  // asked for. Tenants' expositions are combined from the text format only (families merged across tenants).
  const openMetricsChunks = () => {
    const headers = encodeFamilies(families.map((family) => ({ name: family.name, header: family.openMetricsHeader, samples: "" })));
    return withOtherHeaders(text.bytes, text.spans, headers.bytes, headers.spans);
  };
  const [statistics, openMetrics] = await Promise.all([
    prepareStatistics([text.bytes]),
    tenant === undefined ? prepareStatistics(openMetricsChunks()) : undefined,
  ]);
  const timings = { parseMs: parsed - started, renderMs: renderedAt - parsed, compressMs: performance.now() - renderedAt };
  return { ...findings, statistics, ...(openMetrics && { openMetrics }), families: text.spans, timings };
}
