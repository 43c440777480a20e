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

describe("closestStatistic: how close is close enough", () => {
  it("counts a swap of neighbours as one edit: two swaps in a short name are still a typo", () => {
    expect(closestStatistic("lgoin_di", "agent")).toBe("login_id");
  });

  it("counts a swap only where two neighbours really are swapped", () => {
    // 3 edits or more from every catalogue name, though each has letters of a near name in swapped places.
    expect(closestStatistic("stat_cci", "agent")).toBeUndefined();
    expect(closestStatistic("lasataem", "agent")).toBeUndefined();
    expect(closestStatistic("tean_neam", "agent")).toBe("team_name");
  });

  it("counts extra leading letters as edits", () => {
    expect(closestStatistic("zzzzname", "service")).toBeUndefined();
  });

  it("allows 2 edits in a short name and a third of a long one", () => {
    expect(closestStatistic("nm", "service")).toBe("name");
    expect(closestStatistic("nm")).toBe("name");
    expect(closestStatistic("in_calls_abandond_in_queu_per_dy", "service")).toBe("in_calls_abandoned_in_queue_per_day");
  });

  it("never suggests the name itself", () => {
    expect(closestStatistic("name", "service")).toBeUndefined();
  });

  it("prefers a name known in the scope when two are as close, else the catalogue's first", () => {
    // 3 edits from in_calls_received_per_day (totals, service) and from in_calls_handled_per_day (agent).
    expect(closestStatistic("in_calls_recndled_per_day", "agent")).toBe("in_calls_handled_per_day");
    expect(closestStatistic("in_calls_recndled_per_day", "service")).toBe("in_calls_received_per_day");
    expect(closestStatistic("in_calls_recndled_per_day")).toBe("in_calls_received_per_day");
    // 2 edits from login_id and from login_time, both agent statistics.
    expect(closestStatistic("login_me", "agent")).toBe("login_id");
  });
});

describe("statisticNameWarnings: scopes and odd shapes", () => {
  it("checks agent grid columns as agent statistics and service grid columns as service statistics", () => {
    const document = {
      subscription: {
        apps: [
          {
            service_grids: [{ columns: [{ stat_name: "name" }, { stat_name: "login_id" }] }],
            agent_grids: [{ columns: [{ stat_name: "login_id" }, { stat_name: "agents_busy" }] }],
          },
        ],
      },
    };
    expect(statisticNameWarnings(document)).toEqual([
      { path: "subscription.apps[0].service_grids[0].columns[1]", message: 'statistic "login_id" is not known in service grids' },
      { path: "subscription.apps[0].agent_grids[0].columns[1]", message: 'statistic "agents_busy" is not known in agent grids' },
    ]);
  });

  it("skips nulls and lists that are not lists, anywhere", () => {
    const document = {
      subscription: {
        apps: [
          null,
          { stats_totals: "in_max_wait_tim", service_grids: [null, { columns: [null, "junk"] }], agent_grids: [{ columns: "in_calls_wiating" }] },
        ],
      },
    };
    expect(statisticNameWarnings(document)).toEqual([]);
  });
});

describe("statisticNameWarnings: a config with tenants", () => {
  it("reads every tenants: entry's subscription, at the entry's path, after the file's own", () => {
    const subscription = (stat: string) => ({ apps: [{ stats_totals: [stat] }] });
    const document = { subscription: subscription("in_max_wait_tim"), tenants: [{ name: "a", subscription: subscription("in_calls_waiting") }, "junk", { subscription: subscription("agents_loged") }] };
    expect(statisticNameWarnings(document)).toEqual([
      { path: "subscription.apps[0].stats_totals[0]", message: expect.stringContaining("did you mean in_max_wait_time?") },
      { path: "tenants[2].subscription.apps[0].stats_totals[0]", message: expect.stringContaining("did you mean agents_logged?") },
    ]);
    expect(statisticNameWarnings({ tenants: "not a list" })).toEqual([]);
  });
});
