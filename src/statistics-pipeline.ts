// From one upstream data body to statistics ready to serve: parse, map and render, compress.
// Runs once per poll; a scrape only serves its result.
import type { MetricPlan } from "./metrics/plan.js";
import { renderStatistics } from "./metrics/render.js";
import { type PreparedStatistics, prepareStatistics } from "./scrape-body.js";
import { parseSubscriptionData } from "./statsapi/client.js";

export interface ProcessedData {
  statistics: PreparedStatistics;
  series: number;
  invalidValues: number;
}

export async function processDataBody(body: string, plan: MetricPlan): Promise<ProcessedData> {
  const rendered = renderStatistics(parseSubscriptionData(body), plan);
  return { statistics: await prepareStatistics(rendered.text), series: rendered.series, invalidValues: rendered.invalidValues };
}
