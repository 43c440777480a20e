import { deflateRawSync, gunzipSync, inflateRawSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { buildMetricPlan } from "../../../src/metrics/plan.js";
import { renderStatistics } from "../../../src/metrics/render.js";
import { gzipChunks } from "../../../src/exposition/scrape-body.js";
import { type PreparedStatistics, prepareStatistics } from "../../../src/exposition/prepared-statistics.js";
import { StatisticsWorker } from "../../../src/exposition/worker.js";
import { isStatsApiError } from "../../../src/statsapi/errors.js";
import { benchConfig } from "../../../bench/config.js";

const plan = async (agents: number) => (await benchConfig("http://127.0.0.1:1", agents, 1000)).plan;

function body(agents: number, suffix = ""): string {
  const rows = Array.from({ length: agents }, (_, i) => ({
    login_id: `agent${i}${suffix}`,
    name: `Agent ${i} Ünïcode`,
    team: "Team",
    state: ["ready", "busy", ""][i % 3],
    agent_total_ready_time: String(i),
    agent_total_busy_time: "7",
    agent_total_break_time: "",
    agent_total_acw_time: "x",
  }));
  return JSON.stringify({ bench: { agent_grids: [{ id: "agents", values: rows }] } });
}

const textOf = (prepared: PreparedStatistics) => Buffer.concat(prepared.chunks).toString("utf8");

describe("prepareStatistics", () => {
  it("deflates in parts that join into one stream a scrape can finish", async () => {
    const text = "ab\u00e9c".repeat(50_000);
    for (const parts of [1, 2, 3, 7]) {
      const prepared = await prepareStatistics(text, parts);
      expect(textOf(prepared)).toBe(text);
      expect(inflateRawSync(prepared.deflated, { finishFlush: 2 /* Z_SYNC_FLUSH */ }).toString("utf8")).toBe(text);
      const gzip = Buffer.concat(await gzipChunks(prepared, "tail 1\n"));
      expect(gunzipSync(gzip).toString("utf8")).toBe(`${text}tail 1\n`);
    }
  });

  it("deflates several chunks as one text, whatever their sizes", async () => {
    const chunks = ["# HELP a x\n", "a{l=\"\u00e9\"} 1\n".repeat(40_000), "", "# HELP b y\n", "b 2\n"].map((text) => Buffer.from(text));
    const text = Buffer.concat(chunks).toString("utf8");
    for (const parts of [1, 2, 5]) {
      const prepared = await prepareStatistics(chunks, parts);
      expect(prepared.byteLength).toBe(Buffer.byteLength(text));
      expect(textOf(prepared)).toBe(text);
      expect(gunzipSync(Buffer.concat(gzipChunks(prepared, "t 1\n"))).toString("utf8")).toBe(`${text}t 1\n`);
    }
  });

  it("deflates many small chunks (OpenMetrics: two a family) as a few streams, not one a chunk", async () => {
    const chunks = Array.from({ length: 400 }, (_, i) => [Buffer.from(`# TYPE f${i} gauge\n`), Buffer.from(`f${i}{agent="a"} 1\n`.repeat(50))]).flat();
    const whole = deflateRawSync(Buffer.concat(chunks), { level: 3 });
    const prepared = await prepareStatistics(chunks, 2);
    expect(textOf(prepared)).toBe(Buffer.concat(chunks).toString("utf8"));
    expect(prepared.deflated.length).toBeLessThan(1.2 * whole.length);
  });

  it("handles an empty exposition", async () => {
    const prepared = await prepareStatistics("");
    expect(gunzipSync(Buffer.concat(await gzipChunks(prepared, "x 1\n"))).toString()).toBe("x 1\n");
  });
});

describe("StatisticsWorker", () => {
  const worker = new StatisticsWorker();
  afterAll(() => worker.close());

  it("renders in the worker exactly what the renderer gives on the main thread", async () => {
    const p = await plan(30);
    const processed = await worker.process(body(30), p);
    const expected = renderStatistics(JSON.parse(body(30)), p);
    expect(textOf(processed.statistics)).toBe(expected.text);
    expect(processed.series).toBe(expected.series);
    expect(processed.invalidValues).toBe(expected.invalidValues);
    expect(processed.invalidValues).toBeGreaterThan(0);
    expect(inflateRawSync(processed.statistics.deflated, { finishFlush: 2 }).toString("utf8")).toBe(expected.text);
    expect(processed.timings.renderMs).toBeGreaterThanOrEqual(0);
  });

  it("serves OpenMetrics as its own headers around the text format's sample bytes, held once", async () => {
    const p = await plan(30);
    const processed = await worker.process(body(30), p);
    const expected = renderStatistics(JSON.parse(body(30)), p);
    const openMetrics = processed.openMetrics!;
    expect(textOf(openMetrics)).toBe(expected.openMetrics);
    expect(openMetrics.byteLength).toBe(Buffer.byteLength(expected.openMetrics));
    expect(inflateRawSync(openMetrics.deflated, { finishFlush: 2 }).toString("utf8")).toBe(expected.openMetrics);
    const [text] = processed.statistics.chunks;
    const samples = openMetrics.chunks.filter((chunk) => !chunk.toString("utf8").startsWith("#"));
    expect(samples.length).toBeGreaterThan(0);
    for (const chunk of samples) expect(chunk.buffer).toBe(text!.buffer);
  });

  it("follows a new plan, and keeps serving jobs of the old one sent after it", async () => {
    const { config, plan: small } = await benchConfig("http://127.0.0.1:1", 5, 1000);
    const other = buildMetricPlan({ ...config, metrics: { ...config.metrics, namespace: "other" } }).plan;
    const [a, b, c] = await Promise.all([worker.process(body(5), small), worker.process(body(5), other), worker.process(body(5), small)]);
    expect(textOf(a.statistics)).toContain("brightpattern_agent_state{");
    expect(textOf(b.statistics)).toContain("other_agent_state{");
    expect(textOf(c.statistics)).toBe(textOf(a.statistics));
  });

  it("passes a malformed body on as the client's BP_MALFORMED error", async () => {
    const error: unknown = await worker.process("{\"bench\": [", await plan(5)).catch((e: unknown) => e);
    expect(isStatsApiError(error) && error.code).toBe("BP_MALFORMED");
    expect((error as Error).message).toMatch(/^GET \/statsapi\/subscription\/data: body is not JSON/);
  });

  it("stops a worker that finishes nothing for too long, fails its jobs, and starts a new one for the next", async () => {
    const silent = new URL("../../support/silent-worker.mjs", import.meta.url);
    const watched = new StatisticsWorker(undefined, 300, silent);
    try {
      const p = await plan(5);
      const stuck = "statistics worker finished nothing in 0.3 s: stopped, restarted at the next poll";
      const [first, second] = await Promise.all([watched.process(body(5), p), watched.process(body(5), p)].map((job) => job.catch((e: unknown) => e)));
      expect([(first as Error).message, (second as Error).message]).toEqual([stuck, stuck]);
      expect(((await watched.process(body(5), p).catch((e: unknown) => e)) as Error).message).toBe(stuck);
    } finally {
      await watched.close();
    }
  });

  it("keeps watching the new worker when an answer of the replaced one arrives after the replacement", async () => {
    const watched = new StatisticsWorker(undefined, 300, new URL("../../support/late-worker.mjs", import.meta.url));
    try {
      const p = await plan(5);
      const first = watched.process(body(5), p).catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 150)); // the worker is up and watched
      // The next job comes from a timer due just after the watchdog's; the main thread is busy meanwhile, so
      // the watchdog, that timer and the old worker's late answer are all handled in one go, in that order.
      const second = new Promise<unknown>((resolve) => setTimeout(() => resolve(watched.process(body(5), p).catch((e: unknown) => e)), 200));
      // Busy in the check phase, so that the loop's next turn runs the due timers before it reads messages.
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          const busyUntil = Date.now() + 600;
          while (Date.now() < busyUntil);
          resolve();
        }),
      );
      await first;
      const outcome = await Promise.race([second, new Promise((resolve) => setTimeout(() => resolve("still waiting after 3 s"), 3000))]);
      expect((outcome as Error).message ?? outcome).toBe("statistics worker finished nothing in 0.3 s: stopped, restarted at the next poll");
    } finally {
      await watched.close();
    }
  });

  it("fails the jobs of a worker it closes", async () => {
    const closing = new StatisticsWorker();
    const p = await plan(5);
    await closing.process(body(5), p);
    const job = closing.process(body(5), p).catch((e: unknown) => e);
    await closing.close();
    expect(await job).toBeInstanceOf(Error);
  });

  it("restarts after being closed", async () => {
    await worker.close();
    const processed = await worker.process(body(3), await plan(3));
    expect(processed.series).toBeGreaterThan(0);
  });
});
