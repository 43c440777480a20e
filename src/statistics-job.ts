// The work of one poll on its data body, as run by the statistics worker thread: parse the JSON, render the
// exposition, encode and deflate it. Timed step by step, for the benchmark and the debug log.
import { performance } from "node:perf_hooks";
import type { MetricPlan } from "./metrics/plan.js";
import { renderStatistics } from "./metrics/render.js";
import { type PreparedStatistics, prepareStatistics } from "./scrape-body.js";
import { parseSubscriptionData } from "./statsapi/client.js";

/** Milliseconds spent in each step of one poll's processing. */
export interface StatisticsTimings {
  parseMs: number;
  renderMs: number;
  /** UTF-8 encoding, deflate and CRC-32 (the deflate runs on zlib's thread pool). */
  compressMs: number;
}

export interface ProcessedData {
  statistics: PreparedStatistics;
  series: number;
  invalidValues: number;
}

export interface StatisticsJobResult extends ProcessedData {
  timings: StatisticsTimings;
}

export async function runStatisticsJob(body: string, plan: MetricPlan): Promise<StatisticsJobResult> {
  const started = performance.now();
  const data = parseSubscriptionData(body);
  const parsed = performance.now();
  const rendered = renderStatistics(data, plan);
  const renderedAt = performance.now();
  const statistics = await prepareStatistics(rendered.text);
  const timings = { parseMs: parsed - started, renderMs: renderedAt - parsed, compressMs: performance.now() - renderedAt };
  return { statistics, series: rendered.series, invalidValues: rendered.invalidValues, timings };
}
