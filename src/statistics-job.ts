// The work of one poll on its data body, as run by the statistics worker thread: parse the JSON, render the
// exposition, encode and deflate it. Timed step by step, for the benchmark and the debug log.
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { MetricPlan } from "./metrics/plan.js";
import { renderStatistics } from "./metrics/render.js";
import type { PreparedStatistics } from "./scrape-body.js";
import { parseSubscriptionData } from "./statsapi/client.js";

const deflateRaw = promisify(zlib.deflateRaw);

// Measured on 9.3 MB of exposition (100k series, bench/profile-pipeline.ts): level 3 takes ~35 ms for 15.7x,
// level 6 ~95–135 ms for 16.5x. 5 % more bytes on the wire for a third of the time in every poll.
const DEFLATE_LEVEL = 3;
/** Below this, one part: splitting small texts costs more than it saves. */
const MIN_PART_BYTES = 1 << 20;

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
  const statistics = await prepareInParts(rendered.text);
  const timings = { parseMs: parsed - started, renderMs: renderedAt - parsed, compressMs: performance.now() - renderedAt };
  return { statistics, series: rendered.series, invalidValues: rendered.invalidValues, timings };
}

/**
 * The bytes to serve, deflated in parts side by side on zlib's thread pool (one per core). Each part ends
 * with a sync flush (byte-aligned, not final), so the parts concatenated are one valid raw deflate stream
 * (as pigz does) that a scrape can continue and finish — the same shape as scrape-body's prepareStatistics.
 */
export async function prepareInParts(text: string, partCount?: number): Promise<PreparedStatistics> {
  const plain = Buffer.from(text, "utf8");
  const parts = partCount ?? partsFor(plain.length);
  const size = Math.ceil(plain.length / parts);
  const deflated = await Promise.all(
    Array.from({ length: parts }, (_, i) =>
      deflateRaw(plain.subarray(i * size, (i + 1) * size), { level: DEFLATE_LEVEL, finishFlush: zlib.constants.Z_SYNC_FLUSH }),
    ),
  );
  return { plain, deflated: Buffer.concat(deflated), crc32: zlib.crc32(plain) };
}

function partsFor(bytes: number): number {
  return Math.max(1, Math.min(availableParallelism(), Math.floor(bytes / MIN_PART_BYTES)));
}
