import { gunzipSync, inflateRawSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { buildMetricPlan } from "../../../src/metrics/plan.js";
import { renderStatistics } from "../../../src/metrics/render.js";
import { gzipChunks } from "../../../src/exposition/scrape-body.js";
import { prepareStatistics } from "../../../src/exposition/prepared-statistics.js";
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

describe("prepareStatistics", () => {
  it("deflates in parts that join into one stream a scrape can finish", async () => {
    const text = "ab\u00e9c".repeat(50_000);
    for (const parts of [1, 2, 3, 7]) {
      const prepared = await prepareStatistics(text, parts);
      expect(prepared.plain.toString("utf8")).toBe(text);
      expect(inflateRawSync(prepared.deflated, { finishFlush: 2 /* Z_SYNC_FLUSH */ }).toString("utf8")).toBe(text);
      const gzip = Buffer.concat(await gzipChunks(prepared, "tail 1\n"));
      expect(gunzipSync(gzip).toString("utf8")).toBe(`${text}tail 1\n`);
    }
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
    expect(processed.statistics.plain.toString("utf8")).toBe(expected.text);
    expect(processed.series).toBe(expected.series);
    expect(processed.invalidValues).toBe(expected.invalidValues);
    expect(processed.invalidValues).toBeGreaterThan(0);
    expect(inflateRawSync(processed.statistics.deflated, { finishFlush: 2 }).toString("utf8")).toBe(expected.text);
    expect(processed.timings.renderMs).toBeGreaterThanOrEqual(0);
  });

  it("follows a new plan, and keeps serving jobs of the old one sent after it", async () => {
    const { config, plan: small } = await benchConfig("http://127.0.0.1:1", 5, 1000);
    const other = buildMetricPlan({ ...config, metrics: { ...config.metrics, namespace: "other" } }).plan;
    const [a, b, c] = await Promise.all([worker.process(body(5), small), worker.process(body(5), other), worker.process(body(5), small)]);
    expect(a.statistics.plain.toString()).toContain("brightpattern_agent_state{");
    expect(b.statistics.plain.toString()).toContain("other_agent_state{");
    expect(c.statistics.plain.equals(a.statistics.plain)).toBe(true);
  });

  it("passes a malformed body on as the client's BP_MALFORMED error", async () => {
    const error: unknown = await worker.process("{\"bench\": [", await plan(5)).catch((e: unknown) => e);
    expect(isStatsApiError(error) && error.code).toBe("BP_MALFORMED");
    expect((error as Error).message).toMatch(/^GET \/statsapi\/subscription\/data: body is not JSON/);
  });

  it("restarts after being closed", async () => {
    await worker.close();
    const processed = await worker.process(body(3), await plan(3));
    expect(processed.series).toBeGreaterThan(0);
  });
});
