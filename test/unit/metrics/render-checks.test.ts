// What renderStatistics reports beside the text: the percent scale checks, the grid row counts, the series
// bound at its edge; and the OpenMetrics body, which carries the same samples.
import { describe, expect, it } from "vitest";
import type { Config } from "../../../src/config/types.js";
import { buildMetricPlan } from "../../../src/metrics/plan.js";
import { IMPOSSIBLE_RATIO, renderStatistics } from "../../../src/metrics/render.js";
import { agentKey, app, col, config, grid, serviceKey, totals } from "../../support/config-builder.js";

function planOf(cfg: Config) {
  const { plan, issues } = buildMetricPlan(cfg);
  expect(issues).toEqual([]);
  return plan;
}

const TOTAL = "subscription.apps[0].stats_totals[0]";
const COLUMN = "subscription.apps[0].service_grids[0].columns[1]";

/** service_level as a total and as a service column, on the given scales. */
function percentPlan(scale: { totals: 1 | 100; grids: 1 | 100 }) {
  return planOf(config([app({ stats_totals: totals("service_level"), service_grids: [grid("s", [serviceKey, col("sl", "service_level")])] })], { percent_scale: scale }));
}
const percentData = (total: string | undefined, cells: (string | undefined)[]) => ({
  wb: {
    stats_totals: total === undefined ? {} : { service_level: total },
    service_grids: [{ id: "s", values: cells.map((sl, i) => ({ svc: `s${i}`, ...(sl === undefined ? {} : { sl }) })) }],
  },
});

describe("renderStatistics: the percent scale checks", () => {
  it("counts each served percent, and the ratios no share can be (above 1.5), per total and column", () => {
    const rendered = renderStatistics(percentData("80", ["0.5", "85", "1.5", "x", undefined]), percentPlan({ totals: 1, grids: 1 }));
    expect(IMPOSSIBLE_RATIO).toBe(1.5);
    expect(rendered.percentChecks).toEqual({
      [TOTAL]: { scale: 1, aboveRatio: 1, values: 1, withinOne: false, someAboveZero: true },
      // "x" is invalid and the missing cell no value: neither is counted.
      [COLUMN]: { scale: 1, aboveRatio: 1, values: 3, withinOne: false, someAboveZero: true },
    });
  });

  it("on scale 100 notes whether every value was within 0–1 (the upstream may send ratios) and any above 0", () => {
    const within = renderStatistics(percentData("1", ["0", "0.5", "1"]), percentPlan({ totals: 100, grids: 100 }));
    expect(within.percentChecks).toEqual({
      [TOTAL]: { scale: 100, aboveRatio: 0, values: 1, withinOne: true, someAboveZero: true },
      [COLUMN]: { scale: 100, aboveRatio: 0, values: 3, withinOne: true, someAboveZero: true },
    });
    const zeros = renderStatistics(percentData("0", ["0", "0"]), percentPlan({ totals: 100, grids: 100 }));
    expect(zeros.percentChecks[TOTAL]).toEqual({ scale: 100, aboveRatio: 0, values: 1, withinOne: true, someAboveZero: false });
    expect(zeros.percentChecks[COLUMN]).toEqual({ scale: 100, aboveRatio: 0, values: 2, withinOne: true, someAboveZero: false });
    const beyond = renderStatistics(percentData("1.01", ["-1", "0.2"]), percentPlan({ totals: 100, grids: 100 }));
    expect(beyond.percentChecks[TOTAL]).toMatchObject({ withinOne: false, someAboveZero: true });
    expect(beyond.percentChecks[COLUMN]).toMatchObject({ withinOne: false, someAboveZero: true, values: 2 });
    const negative = renderStatistics(percentData("-1", []), percentPlan({ totals: 100, grids: 100 }));
    expect(negative.percentChecks[TOTAL]).toEqual({ scale: 100, aboveRatio: 0, values: 1, withinOne: false, someAboveZero: false });
  });

  it("has no check for a percent without values this poll, nor for other types", () => {
    const plan = planOf(
      config([app({ stats_totals: totals("service_level", "in_calls_waiting"), service_grids: [grid("s", [serviceKey, col("w", "in_calls_waiting"), col("sl", "service_level")])] })]),
    );
    const rendered = renderStatistics({ wb: { stats_totals: { in_calls_waiting: "3" }, service_grids: [{ id: "s", values: [{ svc: "a", w: "2" }] }] } }, plan);
    expect(rendered.percentChecks).toEqual({});
  });
});

describe("renderStatistics: grid rows and the series bound", () => {
  it("says the limit was reached only when the upstream sent as many rows as the limit", () => {
    const plan = planOf(config([app({ service_grids: [{ ...grid("s", [serviceKey, col("w", "in_calls_waiting")]), limit: 10 }] })]));
    const rows = (n: number) => ({ wb: { service_grids: [{ id: "s", values: Array.from({ length: n }, (_, i) => ({ svc: `s${i}`, w: "1" })) }] } });
    expect(renderStatistics(rows(3), plan).gridRows).toEqual([{ appId: "wb", grid: "s", scope: "service", rows: 3, limitReached: false }]);
    expect(renderStatistics(rows(10), plan).gridRows).toEqual([{ appId: "wb", grid: "s", scope: "service", rows: 10, limitReached: true }]);
  });

  it("serves exactly max_series series", () => {
    const plan = planOf(config([app({ service_grids: [grid("s", [serviceKey, col("w", "in_calls_waiting")])] })], { max_series: 3 }));
    const rendered = renderStatistics({ wb: { service_grids: [{ id: "s", values: ["a", "b", "c"].map((svc) => ({ svc, w: "1" })) }] } }, plan);
    expect(rendered).toMatchObject({ series: 3, seriesCut: 0 });
  });

  it("serves an agent's state set whole or not at all, counting an unknown current state", () => {
    // 5 known states; a state outside them adds a sixth series.
    const plan = (max: number) => planOf(config([app({ agent_grids: [grid("a", [agentKey, col("st", "acd_state")])] })], { max_series: max }));
    const data = (st: string) => ({ wb: { agent_grids: [{ id: "a", values: [{ login: "u1", st }] }] } });
    expect(renderStatistics(data("Ready"), plan(5))).toMatchObject({ series: 5, seriesCut: 0 });
    expect(renderStatistics(data("Wrapping"), plan(6))).toMatchObject({ series: 6, seriesCut: 0 });
    const cut = renderStatistics(data("Wrapping"), plan(5));
    expect(cut).toMatchObject({ series: 0, seriesCut: 6, text: "" });
  });

  it("cuts the app's info series, chat timestamps and chat counts past max_series too", () => {
    const plan = planOf(
      config([app({ stats_totals: totals("in_calls_waiting", { stat_name: "team", type: "label", label: "team" }), chat_messages: { limit: 5 } })], { max_series: 1 }),
    );
    const rendered = renderStatistics(
      { wb: { stats_totals: { in_calls_waiting: "3", team: "red" }, chat_messages: [{ id: "1", send_time: "2024-01-01T00:00:00Z" }, { id: "2", send_time: "2024-01-01T00:00:01Z" }] } },
      plan,
    );
    // Families render in name order: the chat timestamp is first and takes the one series.
    expect(rendered.series).toBe(1);
    expect(rendered.seriesCut).toBe(5);
    const samples = rendered.text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    expect(samples).toEqual(['brightpattern_chat_message_timestamp_seconds{app_id="wb",id="1",login_id="",first_name="",last_name="",urgent="false",content=""} 1704067200']);
    expect(rendered.text.split("\n").filter((line) => line.startsWith("# TYPE"))).toEqual(["# TYPE brightpattern_chat_message_timestamp_seconds gauge"]);
  });
});

describe("renderStatistics: volatile labels", () => {
  const plan = () => planOf(config([app({ agent_grids: [grid("a", [agentKey, col("r", "reason")])] })]));

  it("serve one series per agent with a reason; blank reasons give none", () => {
    const rendered = renderStatistics({ wb: { agent_grids: [{ id: "a", values: [{ login: "u1", r: "Lunch" }, { login: "u2", r: "   " }, { login: "u3", r: "Break" }] }] } }, plan());
    expect(rendered.text).toBe(
      [
        "# HELP brightpattern_agent_reason_info Why the agent is not ready (free text), while there is a reason; the value is always 1. One series per agent.",
        "# TYPE brightpattern_agent_reason_info gauge",
        'brightpattern_agent_reason_info{app_id="wb",grid="a",agent="u1",reason="Lunch"} 1',
        'brightpattern_agent_reason_info{app_id="wb",grid="a",agent="u3",reason="Break"} 1',
        "",
      ].join("\n"),
    );
    expect(rendered.series).toBe(2);
  });

  it("render nothing, without throwing, for a grid absent from the data", () => {
    const rendered = renderStatistics({ wb: { agent_grids: [] } }, plan());
    expect(rendered).toMatchObject({ text: "", series: 0, missing: ["subscription.apps[0].agent_grids[0]"] });
  });
});

describe("renderStatistics: the OpenMetrics body", () => {
  it("has the same samples as the text under OpenMetrics family headers", () => {
    const plan = planOf(config([app({ stats_totals: totals("in_calls_waiting", "in_max_wait_time") })]));
    const rendered = renderStatistics({ wb: { stats_totals: { in_calls_waiting: "3", in_max_wait_time: "65" } } }, plan);
    const samples = (text: string) => text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    expect(samples(rendered.openMetrics)).toEqual(samples(rendered.text));
    expect(samples(rendered.openMetrics)).toHaveLength(2);
    expect(rendered.openMetrics).toMatch(/^# TYPE brightpattern_in_calls_waiting gauge\n# HELP brightpattern_in_calls_waiting .*\nbrightpattern_in_calls_waiting\{app_id="wb"\} 3\n# TYPE brightpattern_in_max_wait_time_seconds gauge\n# UNIT brightpattern_in_max_wait_time_seconds seconds\n# HELP .*\nbrightpattern_in_max_wait_time_seconds\{app_id="wb"\} 65\n$/);
  });
});
