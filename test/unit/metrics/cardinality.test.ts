// Cardinality bounds (issue #12 item 4): a grid of 200k rows gave 1.4 M series and ran the worker out of
// memory. metrics.max_series and the per-grid row caps serve what fits and count the rest.
import type { Logger } from "pino";
import { describe, expect, it } from "vitest";
import { RenderFindingsLog } from "../../../src/exporter/render-findings.js";
import { parseConfig } from "../../../src/config/load.js";
import { buildMetricPlan } from "../../../src/metrics/plan.js";
import { renderStatistics } from "../../../src/metrics/render.js";
import type { Config } from "../../../src/config/types.js";
import { agentKey, app, col, config, grid } from "../../support/config-builder.js";
import { validTree } from "../../support/config-tree.js";
import { readExposition } from "./exposition-reader.js";

function planOf(cfg: Config) {
  const { plan, issues } = buildMetricPlan(cfg);
  expect(issues).toEqual([]);
  return plan;
}

const rows = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ login: `agent${i}`, st: "Ready", d: String(i % 600), fn: `First ${i}` }));
const columns = [agentKey, col("fn", "firstname"), col("st", "acd_state"), col("d", "state_duration")];
const data = (count: number) => ({ wb: { agent_grids: [{ id: "agents", values: rows(count) }] } });

describe("cardinality bounds", () => {
  it("has sane defaults: 250k series and 10k rows a grid", async () => {
    const parsed = await parseConfig(JSON.stringify(validTree()));
    expect(parsed.metrics.max_series).toBe(250_000);
    expect(parsed.metrics.max_grid_rows).toBe(10_000);
  });

  it("serves at most max_grid_rows rows of a grid without a limit, and counts the rows cut", () => {
    const plan = planOf(config([app({ agent_grids: [grid("agents", columns)] })], { max_grid_rows: 100 }));
    const rendered = renderStatistics(data(5_000), plan);
    const agents = new Set(readExposition(rendered.text).map((sample) => sample.labels.agent));
    expect(agents.size).toBe(100);
    expect(rendered.rowsCut).toBe(4_900);
    expect(rendered.seriesCut).toBe(0);
  });

  it("caps a grid at its own limit when the upstream sends more", () => {
    const limited = { ...grid("agents", columns), limit: 20 };
    const plan = planOf(config([app({ agent_grids: [limited] })]));
    const rendered = renderStatistics(data(500), plan);
    expect(new Set(readExposition(rendered.text).map((sample) => sample.labels.agent)).size).toBe(20);
    expect(rendered.rowsCut).toBe(480);
  });

  it("serves at most max_series series, a valid exposition, and counts the series cut", () => {
    const plan = planOf(config([app({ agent_grids: [grid("agents", columns)] })], { max_series: 1_000, max_grid_rows: 100_000 }));
    const rendered = renderStatistics(data(2_000), plan);
    expect(rendered.series).toBeLessThanOrEqual(1_000);
    expect(readExposition(rendered.text)).toHaveLength(rendered.series);
    const whole = renderStatistics(data(2_000), planOf(config([app({ agent_grids: [grid("agents", columns)] })], { max_series: 1_000_000, max_grid_rows: 100_000 })));
    expect(whole.seriesCut).toBe(0);
    expect(rendered.series + rendered.seriesCut).toBe(whole.series);
  });
});

describe("the cut, logged once", () => {
  it("warns when a cut starts, not at every poll, and again after it stopped and came back", () => {
    const warnings: unknown[] = [];
    const logger = { warn: (fields: unknown) => warnings.push(fields) } as unknown as Logger;
    const log = new RenderFindingsLog(logger);
    const findings = { invalidByPath: {}, missing: [], rowsWithoutKey: 0, duplicateRows: 0, gridRows: [], rowsCut: 0, seriesCut: 0 };
    log.observe({ ...findings, seriesCut: 10 });
    log.observe({ ...findings, seriesCut: 12 });
    expect(warnings).toEqual([{ grid_rows_cut: 0, series_cut: 10 }]);
    log.observe(findings);
    log.observe({ ...findings, rowsCut: 3 });
    expect(warnings).toHaveLength(2);
  });
});
