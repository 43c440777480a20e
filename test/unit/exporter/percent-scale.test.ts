import { describe, expect, it } from "vitest";
import { flushLog as flush, logLines as capture } from "../../support/log-lines.js";
import { PercentScaleCheck, SMALL_VALUE_POLLS } from "../../../src/exporter/percent-scale.js";
import { buildMetricPlan } from "../../../src/metrics/plan.js";
import { renderStatistics } from "../../../src/metrics/render.js";
import { app, col, config, grid, serviceKey, totals } from "../../support/config-builder.js";


// Totals on scale 1 (the default), grids on scale 100.
const plan = buildMetricPlan(config([app({ stats_totals: totals("service_level"), service_grids: [grid("s", [serviceKey, col("sl", "service_level")])] })])).plan;
const poll = (total: string, grids: string[]) =>
  renderStatistics({ wb: { stats_totals: { service_level: total }, service_grids: [{ id: "s", values: grids.map((sl, i) => ({ svc: `q${i}`, sl })) }] } }, plan).percentChecks;

describe("percent values that cannot be on their configured scale", () => {
  it("a ratio above 1.5 on scale 1 (0–100 values read as ratios): logged once with the fix, counted", async () => {
    const { lines, logger } = capture();
    const check = new PercentScaleCheck(logger);
    expect(check.observe(poll("0.8", ["80", "90"]))).toBe(0);
    expect(check.observe(poll("85", ["80", "90"]))).toBe(1);
    expect(check.observe(poll("86", ["80", "90"]))).toBe(1);
    await flush();
    expect(lines.map((l) => l.msg)).toEqual([
      "percent values of subscription.apps[0].stats_totals[0] cannot be on percent_scale 1 (a ratio above 1.5): the upstream sends 0–100 here: set percent_scale: 100 on it",
    ]);
    expect(lines[0]).toMatchObject({ path: "subscription.apps[0].stats_totals[0]", percent_scale: 1 });
  });

  it(`grid percents all within 0–1 over ${SMALL_VALUE_POLLS} polls on scale 100 (0–1 values read as percents): logged once`, async () => {
    const { lines, logger } = capture();
    const check = new PercentScaleCheck(logger);
    for (let i = 1; i < SMALL_VALUE_POLLS; i++) expect(check.observe(poll("0.8", ["0.8", "0.95"]))).toBe(0);
    expect(check.observe(poll("0.8", ["0.8", "0.95"]))).toBe(1);
    check.observe(poll("0.8", ["0.8", "0.95"]));
    await flush();
    expect(lines.map((l) => l.msg)).toEqual([
      `percent values of subscription.apps[0].service_grids[0].columns[1] all lay within 0–1 over ${SMALL_VALUE_POLLS} polls on percent_scale 100: the upstream likely sends 0–1 here: set percent_scale: 1 on it`,
    ]);
  });

  it("values on their scale, or all zero, are never suspect", () => {
    const { logger } = capture();
    const check = new PercentScaleCheck(logger);
    for (let i = 0; i < 3 * SMALL_VALUE_POLLS; i++) {
      expect(check.observe(poll("0.8", ["0", "0"]))).toBe(0);
      expect(check.observe(poll("1", ["80", "0.5", "100"]))).toBe(0);
    }
  });
});
