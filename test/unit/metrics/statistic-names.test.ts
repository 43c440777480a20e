import { describe, expect, it } from "vitest";
import { closestStatistic, statisticNameWarning, statisticNameWarnings } from "../../../src/metrics/statistic-names.js";

describe("closestStatistic", () => {
  it.each([
    ["in_max_wait_tim", "totals", "in_max_wait_time"],
    ["in_calls_wiating", "service", "in_calls_waiting"],
    ["agents_loged", "totals", "agents_logged"],
    ["Service_Level", "totals", "service_level"],
    ["agent_total_acw_time", "agent", "agent_total_ACW_time"],
  ] as const)("%s → %s", (typo, scope, closest) => {
    expect(closestStatistic(typo, scope)).toBe(closest);
  });

  it("suggests nothing for a name far from every catalogue name", () => {
    expect(closestStatistic("calls_parked_on_the_moon", "totals")).toBeUndefined();
    expect(closestStatistic("x", "totals")).toBeUndefined();
  });
});

describe("statisticNameWarning", () => {
  it("names the closest statistic, and says when only the case differs", () => {
    expect(statisticNameWarning("in_max_wait_tim", "totals", "p")?.message).toContain('unknown statistic "in_max_wait_tim" (did you mean in_max_wait_time?)');
    expect(statisticNameWarning("Service_Level", "totals", "p")?.message).toContain("did you mean service_level? names are case-sensitive");
  });

  it("is silent for a known statistic in its scope and for SUM", () => {
    expect(statisticNameWarning("in_calls_waiting", "service", "p")).toBeUndefined();
    expect(statisticNameWarning("SUM", "agent", "p")).toBeUndefined();
  });
});

describe("statisticNameWarnings (a document that did not validate)", () => {
  it("finds the names in totals and grid columns, with their paths, whatever else is wrong", () => {
    const document = {
      poll: { interval: "soon" },
      subscription: {
        apps: [
          {
            stats_totals: ["in_max_wait_tim", { stat_name: "agents_ready" }, 42],
            service_grids: [{ columns: [{ id: "w", stat_name: "in_calls_wiating" }, "junk"] }],
            agent_grids: "not a list",
          },
          "not an app",
        ],
      },
    };
    expect(statisticNameWarnings(document)).toEqual([
      { path: "subscription.apps[0].stats_totals[0]", message: expect.stringContaining("did you mean in_max_wait_time?") },
      { path: "subscription.apps[0].service_grids[0].columns[0]", message: expect.stringContaining("did you mean in_calls_waiting?") },
    ]);
    expect(statisticNameWarnings("nothing")).toEqual([]);
  });
});
