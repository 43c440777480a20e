// Entry of the worker thread: runs each poll's job (job.ts) off the main thread and hands the bytes back
// as transferred ArrayBuffers (no copy). See worker.ts for the why. Its module graph holds no network,
// logging or HTTP library (test/unit/architecture.test.ts checks it).
import { parentPort } from "node:worker_threads";
import type { MetricPlan } from "../metrics/plan.js";
import { runStatisticsJob } from "./job.js";
import { isStatsApiError } from "../statsapi/errors.js";
import type { JobRequest, JobAnswer, JobFailure, TransferredStatistics } from "./protocol.js";
import type { PreparedStatistics } from "./prepared-statistics.js";

/** Each plan is sent once (it is cloned with each message otherwise); several tenants have one each. */
const plans = new Map<number, MetricPlan>();
/** Plans of configs reloaded away are dropped oldest first past this many. */
const MAX_PLANS = 20_000;

/** A buffer's bytes as an ArrayBuffer of their own, safe to transfer (small buffers share Node's pool). */
function ownArrayBuffer(buffer: Buffer): ArrayBuffer {
  const whole = buffer.buffer as ArrayBuffer;
  if (buffer.byteOffset === 0 && buffer.byteLength === whole.byteLength) return whole;
  return whole.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
}

/**
 * The prepared statistics of both formats for transfer: each chunk as a view into a buffer sent once.
 * The chunks' buffers are the job's own (family-bytes.ts allocates them outside Node's pool).
 */
function transferable(formats: readonly PreparedStatistics[]): { buffers: ArrayBuffer[]; statistics: TransferredStatistics[] } {
  const buffers: ArrayBuffer[] = [];
  const index = new Map<ArrayBuffer, number>();
  const statistics = formats.map((prepared) => ({
    chunks: prepared.chunks.map((chunk): [number, number, number] => {
      const whole = chunk.buffer as ArrayBuffer;
      let i = index.get(whole);
      if (i === undefined) index.set(whole, (i = buffers.push(whole) - 1));
      return [i, chunk.byteOffset, chunk.byteLength];
    }),
    byteLength: prepared.byteLength,
    deflated: ownArrayBuffer(prepared.deflated),
    crc32: prepared.crc32,
  }));
  return { buffers, statistics };
}

function failure(id: number, error: unknown): JobFailure {
  if (isStatsApiError(error)) {
    return { id, ok: false, error: { code: error.code, message: error.detail, operation: error.operation, status: error.status } };
  }
  return { id, ok: false, error: { message: error instanceof Error ? error.message : String(error) } };
}

async function answer(request: JobRequest): Promise<{ answer: JobAnswer; transfer: ArrayBuffer[] }> {
  if (request.plan !== undefined) {
    plans.set(request.planId, request.plan);
    if (plans.size > MAX_PLANS) plans.delete(plans.keys().next().value!);
  }
  const plan = plans.get(request.planId);
  if (plan === undefined) throw new Error(`statistics worker: plan ${request.planId} was never sent`);
  const { statistics, openMetrics, ...rest } = await runStatisticsJob(request.body, plan, request.tenant);
  const { buffers, statistics: [text, openMetricsText] } = transferable(openMetrics ? [statistics, openMetrics] : [statistics]);
  const done: JobAnswer = { ...rest, id: request.id, ok: true, buffers, statistics: text!, ...(openMetricsText && { openMetrics: openMetricsText }) };
  return { answer: done, transfer: [...buffers, text!.deflated, ...(openMetricsText ? [openMetricsText.deflated] : [])] };
}

parentPort?.on("message", (request: JobRequest) => {
  answer(request).then(
    ({ answer: done, transfer }) => parentPort?.postMessage(done, transfer),
    (error: unknown) => parentPort?.postMessage(failure(request.id, error)),
  );
});
