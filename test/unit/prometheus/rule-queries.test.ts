import { describe, expect, it } from "vitest";
import { alertQueries, withBoolComparisons } from "../../e2e/rule-queries.js";

describe("withBoolComparisons", () => {
  it.each([
    ["brightpattern_up == 0", "brightpattern_up == bool 0"],
    ['up{job="x"} == 0', 'up{job="x"} == bool 0'],
    ['rate(x{result!="a",b=~"c|d"}[5m]) > 0', 'rate(x{result!="a",b=~"c|d"}[5m]) > bool 0'],
    ["time() - t > 120 and t > 0", "time() - t > bool 120 and t > bool 0"],
    ["x >= bool 3", "x >= bool 3"],
    ["x <= on(a) y", "x <= bool on(a) y"],
    ["sum(x > 1)", "sum(x > 1)"],
    ['x{a="b>c"} != 1', 'x{a="b>c"} != bool 1'],
    ["x", "x"],
  ])("%s → %s", (expr, expected) => {
    expect(withBoolComparisons(expr)).toBe(expected);
  });
});

describe("alertQueries", () => {
  it("lists every alert of prometheus/alerts.yml with its bool form", () => {
    const queries = alertQueries();
    expect(queries.length).toBe(12);
    expect(queries).toContainEqual({
      where: 'alert rule "BrightPatternUpstreamDown"',
      expr: "brightpattern_up == 0",
      promql: "brightpattern_up == bool 0",
    });
    expect(queries).toContainEqual({
      where: 'alert rule "BrightPatternSeriesCut"',
      expr: "brightpattern_statistic_series_cut > 0 or brightpattern_grid_rows_cut > 0",
      promql: "brightpattern_statistic_series_cut > bool 0 or brightpattern_grid_rows_cut > bool 0",
    });
  });
});
