import { describe, expect, it } from "vitest";
import type { AppConfig } from "../../../src/config/types.js";
import { KNOWN_STATISTICS } from "../../../src/metrics/catalogue.js";
import { type MetricPlan, buildMetricPlan } from "../../../src/metrics/plan.js";
import { agentKey, app, col, config, grid, serviceKey, totals } from "../../support/config-builder.js";

function familyNames(plan: MetricPlan): string[] {
  return plan.families.map((f) => f.name);
}

describe("catalogue", () => {
  it("has a help sentence with a unit for every numeric statistic, and a label for every text one", () => {
    for (const [name, info] of Object.entries(KNOWN_STATISTICS)) {
      expect(info.help, name).toMatch(/^[A-Z].*\.$/);
      if (info.type === "duration") expect(info.help, name).toMatch(/seconds/);
      if (info.type === "percent") expect(info.help, name).toMatch(/ratio from 0 to 1/);
      if (info.type === "label") expect(info.label, name).toMatch(/^[a-z_]+$/);
      expect(info.scopes.length, name).toBeGreaterThan(0);
      expect(["number", "duration", "percent", "timestamp", "label", "state"], name).toContain(info.type);
      for (const scope of info.scopes) expect(["totals", "service", "agent"], name).toContain(scope);
      if (info.metric !== undefined) expect(info.metric, name).toMatch(/^[a-z][a-z0-9_]*[a-z0-9]$/);
    }
  });
});

describe("buildMetricPlan: family names", () => {
  it.each<[string, AppConfig, string]>([
    ["a total", app({ stats_totals: totals("in_calls_waiting") }), "brightpattern_in_calls_waiting"],
    ["a duration total", app({ stats_totals: totals("in_max_wait_time") }), "brightpattern_in_max_wait_time_seconds"],
    ["a percent total", app({ stats_totals: totals("service_level") }), "brightpattern_service_level_ratio"],
    ["agents ready", app({ stats_totals: totals("agents_ready") }), "brightpattern_agents_ready"],
    [
      "a service column",
      app({ service_grids: [grid("s", [serviceKey, col("w", "in_calls_waiting")])] }),
      "brightpattern_service_in_calls_waiting",
    ],
    [
      "a service level column (no de-duplication)",
      app({ service_grids: [grid("s", [serviceKey, col("sl", "service_level")])] }),
      "brightpattern_service_service_level_ratio",
    ],
    ["an agent duration", app({ agent_grids: [grid("a", [agentKey, col("d", "state_duration")])] }), "brightpattern_agent_state_duration_seconds"],
    [
      "an agent count",
      app({ agent_grids: [grid("a", [agentKey, col("h", "in_calls_handled_per_day")])] }),
      "brightpattern_agent_in_calls_handled_per_day",
    ],
    [
      "the catalogue's explicit name",
      app({ agent_grids: [grid("a", [agentKey, col("b", "agent_total_break_time")])] }),
      "brightpattern_agent_total_break_time_seconds",
    ],
    ["case-sensitive ACW", app({ agent_grids: [grid("a", [agentKey, col("acw", "agent_total_ACW_time")])] }), "brightpattern_agent_total_after_call_work_time_seconds"],
    ["acd_state", app({ agent_grids: [grid("a", [agentKey, col("st", "acd_state")])] }), "brightpattern_agent_state"],
    ["acd_next_state", app({ agent_grids: [grid("a", [agentKey, col("nx", "acd_next_state")])] }), "brightpattern_agent_next_state"],
    ["label columns", app({ agent_grids: [grid("a", [agentKey, col("fn", "firstname")])] }), "brightpattern_agent_info"],
    ["service label columns", app({ service_grids: [grid("s", [serviceKey, col("x", "team_name")])] }), "brightpattern_service_info"],
    ["a column metric, used as is", app({ stats_totals: totals({ stat_name: "in_max_wait_time", metric: "longest_wait" }) }), "brightpattern_longest_wait"],
    ["a type override", app({ stats_totals: totals({ stat_name: "in_calls_waiting", type: "duration" }) }), "brightpattern_in_calls_waiting_seconds"],
    ["an unknown statistic, lower-cased", app({ stats_totals: totals({ stat_name: "In_Calls_Parked", type: "number" }) }), "brightpattern_in_calls_parked"],
    ["an unknown statistic with a unit already", app({ stats_totals: totals({ stat_name: "hold_ratio", type: "percent" }) }), "brightpattern_hold_ratio"],
    [
      "a SUM named after its column id",
      app({ service_grids: [grid("s", [serviceKey, col("abandoned", "SUM", { sum_stat_names: ["in_calls_abandoned_in_queue_per_day", "in_calls_received_per_day"] })])] }),
      "brightpattern_service_abandoned",
    ],
    [
      "a SUM of durations gets the unit",
      app({ agent_grids: [grid("a", [agentKey, col("away", "SUM", { sum_stat_names: ["agent_total_break_time", "agent_total_ACW_time"] })])] }),
      "brightpattern_agent_away_seconds",
    ],
  ])("%s → %s", (_, appConfig, expected) => {
    const { plan, issues } = buildMetricPlan(config([appConfig]));
    expect(issues).toEqual([]);
    expect(familyNames(plan)).toEqual([expected]);
  });

  it("uses the namespace, sorts families by name and has no family for the key column", () => {
    const { plan } = buildMetricPlan(
      config([app({ stats_totals: totals("service_level", "agents_ready"), agent_grids: [grid("a", [agentKey, col("st", "acd_state")])] })], { namespace: "cc" }),
    );
    expect(familyNames(plan)).toEqual(["cc_agent_state", "cc_agents_ready", "cc_service_level_ratio"]);
  });

  it("puts the same family of several apps and grids in one family with every source", () => {
    const grids = [grid("g1", [agentKey, col("h", "in_calls_handled_per_day")]), grid("g2", [agentKey, col("h", "in_calls_handled_per_day")])];
    const { plan, issues } = buildMetricPlan(config([app({ agent_grids: grids }), app({ app_id: "other", agent_grids: grids })]));
    expect(issues).toEqual([]);
    expect(plan.families).toHaveLength(1);
    expect(plan.families[0]?.sources).toHaveLength(4);
  });

  it("takes the percent scale from the column, else from metrics.percent_scale by scope", () => {
    const { plan } = buildMetricPlan(
      config([
        app({
          stats_totals: totals("service_level", { stat_name: "in_calls_abandoned_in_queue_ratio_per_day", percent_scale: 100 }),
          service_grids: [grid("s", [serviceKey, col("sl", "service_level"), col("t", "service_level_target", { percent_scale: 1 })])],
        }),
      ]),
    );
    const [a] = plan.apps;
    expect(a?.totals.map((t) => t.percentScale)).toEqual([1, 100]);
    expect(a?.serviceGrids[0]?.values.map((v) => v.percentScale)).toEqual([100, 1]);
  });

  it("plans an unknown statistic without a type as a number only: text never becomes a label unless the column says type: label", () => {
    const { plan, warnings } = buildMetricPlan(config([app({ stats_totals: totals("In_Calls_Parked") })]));
    expect(familyNames(plan)).toEqual(["brightpattern_in_calls_parked"]);
    expect(plan.apps[0]?.totals[0]).toMatchObject({ type: "auto", label: "" });
    expect(warnings[0]?.message).toMatch(/passed through as a number, text values counted as invalid \(set "type", e\.g\. "type: label" for text\)/);
  });

  it("gives the reason and the media type families of their own by default (volatile_labels: agent_info keeps them labels)", () => {
    const apps = [app({ agent_grids: [grid("a", [agentKey, col("fn", "firstname"), col("why", "reason"), col("m", "active_item_media_type")])] })];
    const own = buildMetricPlan(config(apps)).plan;
    expect(familyNames(own)).toEqual(["brightpattern_agent_info", "brightpattern_agent_media_type_info", "brightpattern_agent_reason_info"]);
    expect(familyNames(buildMetricPlan(config(apps, { volatile_labels: "agent_info" })).plan)).toEqual(["brightpattern_agent_info"]);
  });

  it("warns about a limit with an order on a value that changes every poll (rows would churn), not about stable orders", () => {
    const columns = [agentKey, col("d", "state_duration"), col("fn", "firstname"), col("why", "reason")];
    const warningsOf = (more: Record<string, unknown>) => {
      const g = { ...grid("a", columns), ...more } as ReturnType<typeof grid>;
      return buildMetricPlan(config([app({ agent_grids: [g] })])).warnings.filter((w) => w.message.includes("changes every poll"));
    };
    expect(warningsOf({ order_by: "d", order_dir: "DESC", limit: 200 })).toEqual([
      { path: "subscription.apps[0].agent_grids[0].limit", message: expect.stringMatching(/^limit 200 with rows ordered by "d", a value that changes every poll: .*Order by the key column, or drop the limit/) },
    ]);
    expect(warningsOf({ order_by: "why", limit: 200 })).toHaveLength(1);
    expect(warningsOf({ extra: { order: [{ by: "d", dir: "DESC" }] }, limit: 10 })).toHaveLength(1);
    expect(warningsOf({ order_by: "d", order_dir: "DESC" })).toEqual([]); // sorted, never cut
    expect(warningsOf({ order_by: "login", limit: 200 })).toEqual([]);
    expect(warningsOf({ order_by: "fn", limit: 200 })).toEqual([]);
  });

  it("writes HELP a supervisor reads: long abandoned, inbound-only handling time, SUM in words, statistics no vendor source lists", () => {
    const { plan } = buildMetricPlan(
      config([
        app({
          stats_totals: totals("in_calls_abandoned_in_queue_per_day"),
          agent_grids: [grid("a", [agentKey, col("aht", "calls_average_handling_time_per_day"), col("nx", "acd_next_state"), col("ext", "extension"), col("ic", "state_ic")])],
          service_grids: [grid("s", [serviceKey, col("lost", "SUM", { sum_stat_names: ["in_calls_abandoned_in_queue_per_day", "in_calls_short_abandoned_in_queue_per_day"] })])],
        }),
      ]),
    );
    const help = (name: string) => plan.families.find((f) => f.name === name)?.header.split("\n")[0] ?? "";
    expect(help("brightpattern_in_calls_abandoned_in_queue_per_day")).toContain('"long abandoned"');
    expect(help("brightpattern_agent_calls_average_handling_time_per_day_seconds")).toContain("inbound calls");
    expect(help("brightpattern_agent_next_state")).toMatch(/none when nothing is pending.*no vendor source/);
    expect(help("brightpattern_agent_info")).not.toContain("extension"); // the info family's HELP is generic; the catalogue says it
    expect(KNOWN_STATISTICS.extension?.help).toMatch(/no vendor source/);
    expect(help("brightpattern_agent_state_ic")).toMatch(/state_ic/);
    expect(help("brightpattern_service_lost")).toBe(
      '# HELP brightpattern_service_lost Inbound calls abandoned in queue today after the short-abandon threshold ("long abandoned" in the ' +
        "vendor's wallboard) plus inbound calls abandoned in queue within the short-abandon threshold today (calls). One series per service.",
    );
  });

  it("escapes HELP text and gives each family one", () => {
    const { plan } = buildMetricPlan(config([app({ stats_totals: totals("in_calls_waiting", { stat_name: "weird\\stat", type: "number" }) })]));
    expect(plan.families.map((f) => f.header)).toEqual([
      "# HELP brightpattern_in_calls_waiting Inbound calls waiting in queue now (calls).\n# TYPE brightpattern_in_calls_waiting gauge\n",
      "# HELP brightpattern_weird_stat Bright Pattern statistic weird\\\\stat.\n# TYPE brightpattern_weird_stat gauge\n",
    ]);
  });
});

describe("buildMetricPlan: clashes are config issues naming both places", () => {
  const base = "subscription.apps[0]";
  it.each<[string, AppConfig[], { path: string; message: RegExp }]>([
    [
      "two columns of one grid mapping to one family",
      [app({ agent_grids: [grid("a", [agentKey, col("sales", "calls_dispositions_per_day"), col("lost", "calls_dispositions_per_day")])] })],
      { path: `${base}.agent_grids[0].columns[2]`, message: /same series as subscription\.apps\[0\]\.agent_grids\[0\]\.columns\[1\].*brightpattern_agent_calls_dispositions_per_day.*"metric"/ },
    ],
    [
      "two totals mapping to one family",
      [app({ stats_totals: totals({ stat_name: "in_calls_waiting", metric: "calls" }, { stat_name: "agents_ready", metric: "calls" }) })],
      { path: `${base}.stats_totals[1]`, message: new RegExp(`same series as ${base.replace(/[[\].]/g, "\\$&")}\\.stats_totals\\[0\\]`) },
    ],
    [
      "a total and a grid column with different label sets",
      [app({ stats_totals: totals({ stat_name: "in_calls_waiting", metric: "service_in_calls_waiting" }), service_grids: [grid("s", [serviceKey, col("w", "in_calls_waiting")])] })],
      { path: `${base}.service_grids[0].columns[1]`, message: /also defined by subscription\.apps\[0\]\.stats_totals\[0\] as a number gauge with labels \{app_id\}.*\{app_id,grid,service_name\}/ },
    ],
    [
      "one family with two units",
      [app({ stats_totals: totals({ stat_name: "in_calls_waiting", metric: "x" }, { stat_name: "in_max_wait_time", metric: "x" }) }), app({ app_id: "b" })],
      { path: `${base}.stats_totals[1]`, message: /also defined by .*stats_totals\[0\] as a number gauge.*duration gauge/ },
    ],
    [
      "a state and a gauge",
      [app({ agent_grids: [grid("a", [agentKey, col("st", "acd_state")]), grid("b", [agentKey, col("x", "state_duration", { metric: "state", type: "number" })])] })],
      { path: `${base}.agent_grids[1].columns[1]`, message: /state set/ },
    ],
    [
      "a self-metric name",
      [app({ stats_totals: totals({ stat_name: "agents_ready", metric: "up" }) })],
      { path: `${base}.stats_totals[0]`, message: /brightpattern_up is one of the exporter's own metrics/ },
    ],
    [
      "a histogram series of a self-metric",
      [app({ stats_totals: totals({ stat_name: "agents_ready", metric: "poll_duration_seconds_count" }) })],
      { path: `${base}.stats_totals[0]`, message: /own metrics/ },
    ],
    [
      "a label column on a row label",
      [app({ agent_grids: [grid("a", [agentKey, col("n", "firstname", { label: "agent" })])] })],
      { path: `${base}.agent_grids[0].columns[1]`, message: /label "agent" is already a label of every agent series \(app_id, grid, agent\)/ },
    ],
    [
      "a label column on app_id",
      [app({ service_grids: [grid("s", [serviceKey, col("n", "team_name", { label: "app_id" })])] })],
      { path: `${base}.service_grids[0].columns[1]`, message: /label "app_id" is already a label/ },
    ],
    [
      "two label columns with one label name",
      [app({ agent_grids: [grid("a", [agentKey, col("f", "firstname"), col("g", "lastname", { label: "first_name" })])] })],
      { path: `${base}.agent_grids[0].columns[2]`, message: /label "first_name" is also set by subscription\.apps\[0\]\.agent_grids\[0\]\.columns\[1\]/ },
    ],
    [
      "an invalid label name",
      [app({ agent_grids: [grid("a", [agentKey, col("f", "firstname", { label: "__name__" })])] })],
      { path: `${base}.agent_grids[0].columns[1]`, message: /invalid label name "__name__"/ },
    ],
    [
      "an info family taken by a gauge",
      [app({ agent_grids: [grid("a", [agentKey, col("f", "firstname"), col("i", "in_calls_handled_per_day", { metric: "info" })])] })],
      { path: `${base}.agent_grids[0]`, message: /brightpattern_agent_info is also defined by subscription\.apps\[0\]\.agent_grids\[0\]\.columns\[2\]/ },
    ],
    [
      "a total on a chat family of the same app",
      [app({ stats_totals: totals({ stat_name: "agents_ready", metric: "chat_messages" }), chat_messages: { limit: 5 } })],
      { path: `${base}.chat_messages`, message: /also defined by subscription\.apps\[0\]\.stats_totals\[0\]/ },
    ],
  ])("%s", (_, apps, expected) => {
    const { issues } = buildMetricPlan(config(apps));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe(expected.path);
    expect(issues[0]?.message).toMatch(expected.message);
  });

  it("allows one family in two grids, two apps, and info families with different labels per grid", () => {
    const { issues } = buildMetricPlan(
      config([
        app({
          agent_grids: [grid("a", [agentKey, col("f", "firstname"), col("h", "in_calls_handled_per_day")]), grid("b", [agentKey, col("t", "team_name"), col("h", "in_calls_handled_per_day")])],
          chat_messages: { limit: 3 },
        }),
        app({ app_id: "two", chat_messages: { limit: 3 } }),
      ]),
    );
    expect(issues).toEqual([]);
  });
});

describe("buildMetricPlan: warnings", () => {
  it("warns about unknown statistics and statistics outside their known scope, with their paths", () => {
    const { issues, warnings } = buildMetricPlan(
      config([app({ stats_totals: totals("in_calls_parked", "acd_state"), agent_grids: [grid("a", [agentKey, col("w", "in_calls_waiting"), col("s", "SUM", { sum_stat_names: ["x"] })])] })]),
    );
    expect(issues).toEqual([]);
    expect(warnings).toEqual([
      { path: "subscription.apps[0].stats_totals[0]", message: expect.stringMatching(/unknown statistic "in_calls_parked": passed through/) },
      { path: "subscription.apps[0].stats_totals[1]", message: 'statistic "acd_state" is not known in stats_totals' },
      { path: "subscription.apps[0].agent_grids[0].columns[1]", message: 'statistic "in_calls_waiting" is not known in agent grids' },
    ]);
  });

  it("warns about mapping keys that have no effect on the column's type", () => {
    const { issues, warnings } = buildMetricPlan(
      config([
        app({
          stats_totals: totals({ stat_name: "agents_ready", label: "ready" }, { stat_name: "in_max_wait_time", percent_scale: 100 }),
          agent_grids: [grid("a", [agentKey, col("t", "team_name", { metric: "team" })])],
        }),
      ]),
    );
    expect(issues).toEqual([]);
    expect(warnings).toEqual([
      { path: "subscription.apps[0].stats_totals[0]", message: '"label" has no effect on a number column, only on label columns' },
      { path: "subscription.apps[0].stats_totals[1]", message: '"percent_scale" has no effect on a duration column, only on percent columns' },
      { path: "subscription.apps[0].agent_grids[0].columns[1]", message: '"metric" has no effect on a label column (it becomes the label "team_name" of the info family)' },
    ]);
  });
});

describe("buildMetricPlan: the HELP of a SUM column", () => {
  const sumHeader = (sumOf: string[]) => {
    const { plan } = buildMetricPlan(config([app({ service_grids: [grid("s", [serviceKey, col("both", "SUM", { sum_stat_names: sumOf })])] })]));
    return plan.families.find((family) => family.name.startsWith("brightpattern_service_both"))?.header ?? "";
  };

  it("says what is added up in the catalogue's words, with the common unit, not as protocol names", () => {
    expect(sumHeader(["in_calls_abandoned_in_queue_per_day", "in_calls_short_abandoned_in_queue_per_day"])).toContain(
      '# HELP brightpattern_service_both Inbound calls abandoned in queue today after the short-abandon threshold ("long abandoned" in the vendor\'s wallboard) plus inbound calls abandoned in queue within the short-abandon threshold today (calls). One series per service.',
    );
  });

  it("names a statistic the catalogue does not know as it is", () => {
    expect(sumHeader(["in_calls_waiting", "calls_parked"])).toContain("Inbound calls waiting in queue now plus the statistic calls_parked. One series per service.");
  });
});

describe("buildMetricPlan: names, help and types in detail", () => {
  const headerOf = (plan: MetricPlan, name: string) => plan.families.find((f) => f.name === name)?.header;

  it.each([
    ["Calls  In--Queue", "brightpattern_calls_in_queue"],
    ["2nd_line_calls", "brightpattern__2nd_line_calls"],
    ["line2_calls", "brightpattern_line2_calls"],
  ])("names the unknown statistic %j as %s", (stat, name) => {
    const { plan, issues } = buildMetricPlan(config([app({ stats_totals: totals({ stat_name: stat, type: "number" }) })]));
    expect(issues).toEqual([]);
    expect(familyNames(plan)).toEqual([name]);
  });

  it("says the unit in the HELP of unknown statistics, and uses the catalogue's HELP only for the catalogue's type", () => {
    const { plan } = buildMetricPlan(
      config([
        app({
          stats_totals: totals(
            { stat_name: "x_wait", type: "duration" },
            { stat_name: "x_share", type: "percent" },
            { stat_name: "x_at", type: "timestamp" },
            { stat_name: "in_calls_waiting", type: "duration" },
          ),
          agent_grids: [grid("a", [agentKey, col("h", "in_calls_handled_per_day")])],
        }),
      ]),
    );
    expect(headerOf(plan, "brightpattern_x_wait_seconds")).toContain(" Bright Pattern statistic x_wait, in seconds.\n");
    expect(headerOf(plan, "brightpattern_x_share_ratio")).toContain(" Bright Pattern statistic x_share, as a ratio from 0 to 1.\n");
    expect(headerOf(plan, "brightpattern_x_at_timestamp_seconds")).toContain(" Bright Pattern statistic x_at, as Unix seconds.\n");
    expect(headerOf(plan, "brightpattern_in_calls_waiting_seconds")).toContain(" Bright Pattern statistic in_calls_waiting, in seconds.\n");
    expect(headerOf(plan, "brightpattern_agent_in_calls_handled_per_day")).toMatch(/ One series per agent\.\n/);
  });

  it.each<[string, string[], string]>([
    ["durations", ["agent_total_break_time", "agent_total_ACW_time"], "duration"],
    ["labels", ["firstname", "lastname"], "auto"],
    ["states", ["acd_state", "acd_state"], "auto"],
    ["mixed types", ["agent_total_break_time", "in_calls_handled_per_day"], "auto"],
    ["unknown statistics", ["x_one", "x_two"], "auto"],
  ])("types a SUM of %s as %s", (_, sumOf, type) => {
    const { plan } = buildMetricPlan(config([app({ agent_grids: [grid("a", [agentKey, col("Both Sums", "SUM", { sum_stat_names: sumOf })])] })]));
    const value = plan.apps[0]?.agentGrids[0]?.values[0];
    expect(value?.type).toBe(type);
    expect(value?.sumOf).toEqual(sumOf);
    // Read as a number: text never becomes a label unless the column says type: label.
    if (type === "auto") expect(value?.label).toBe("");
  });

  it("lets an unknown statistic (typed by its values) share a family with a number column", () => {
    const { issues } = buildMetricPlan(
      config([app({ agent_grids: [grid("a", [agentKey, col("p", "x_parked")]), grid("b", [agentKey, col("h", "in_calls_handled_per_day", { metric: "x_parked" })])] })]),
    );
    expect(issues).toEqual([]);
  });

  it.each(["process", "nodejs"])("refuses the namespace %s (its families would look like the process's own metrics)", (namespace) => {
    const { issues } = buildMetricPlan(config([app({ stats_totals: totals("agents_ready") })], { namespace }));
    expect(issues).toEqual([{ path: "subscription.apps[0].stats_totals[0]", message: `metric ${namespace}_agents_ready is one of the exporter's own metrics: set another "metric" name` }]);
  });

  it.each(["__meta", "1st", "a-b", "first name"])("refuses the label name %j", (label) => {
    const { issues } = buildMetricPlan(config([app({ agent_grids: [grid("a", [agentKey, col("f", "firstname", { label })])] })]));
    expect(issues).toEqual([
      { path: "subscription.apps[0].agent_grids[0].columns[1]", message: `invalid label name "${label}": expected [a-zA-Z_][a-zA-Z0-9_]*, not starting with __` },
    ]);
  });

  it("accepts label names with an inner or trailing double underscore", () => {
    const { issues } = buildMetricPlan(config([app({ agent_grids: [grid("a", [agentKey, col("f", "firstname", { label: "first__name__" })])] })]));
    expect(issues).toEqual([]);
  });
});

describe("buildMetricPlan: clash messages in full", () => {
  const base = "subscription.apps[0]";
  const messageOf = (apps: AppConfig[]) => {
    const { issues } = buildMetricPlan(config(apps));
    expect(issues).toHaveLength(1);
    return issues[0]?.message;
  };
  const tail = 'one family needs one type and one label set (set "metric" to another name)';

  it("a gauge on a state set", () => {
    expect(messageOf([app({ agent_grids: [grid("a", [agentKey, col("st", "acd_state")]), grid("b", [agentKey, col("x", "state_duration", { metric: "state", type: "number" })])] })])).toBe(
      `metric brightpattern_agent_state is also defined by ${base}.agent_grids[0].columns[1] as a state set with labels {app_id,grid,agent,state}; ` +
        `here it would be a number gauge with labels {app_id,grid,agent}: ${tail}`,
    );
  });

  it("an info family on a gauge, and a gauge on an info family", () => {
    expect(messageOf([app({ agent_grids: [grid("a", [agentKey, col("f", "firstname"), col("i", "in_calls_handled_per_day", { metric: "info" })])] })])).toBe(
      `metric brightpattern_agent_info is also defined by ${base}.agent_grids[0].columns[2] as a number gauge with labels {app_id,grid,agent}; here it would be a info family: ${tail}`,
    );
    expect(messageOf([app({ agent_grids: [grid("a", [agentKey, col("f", "firstname")]), grid("b", [agentKey, col("i", "in_calls_handled_per_day", { metric: "info" })])] })])).toBe(
      `metric brightpattern_agent_info is also defined by ${base}.agent_grids[0] as a info family; here it would be a number gauge with labels {app_id,grid,agent}: ${tail}`,
    );
  });

  it("a total on each chat family", () => {
    const chatClash = (metric: string) => messageOf([app({ stats_totals: totals({ stat_name: "agents_ready", metric }), chat_messages: { limit: 5 } })]);
    const first = `is also defined by ${base}.stats_totals[0] as a number gauge with labels {app_id}; here it would be a`;
    expect(chatClash("chat_message_timestamp_seconds")).toBe(
      `metric brightpattern_chat_message_timestamp_seconds ${first} chat_timestamps gauge with labels {app_id,id,login_id,first_name,last_name,urgent,content}: ${tail}`,
    );
    expect(chatClash("chat_messages")).toBe(`metric brightpattern_chat_messages ${first} chat_count gauge with labels {app_id}: ${tail}`);
    expect(chatClash("chat_messages_urgent")).toBe(`metric brightpattern_chat_messages_urgent ${first} chat_urgent gauge with labels {app_id}: ${tail}`);
  });
});

describe("buildMetricPlan: no warning where a mapping key has an effect", () => {
  it.each<[string, AppConfig]>([
    ["metric on a number", app({ stats_totals: totals({ stat_name: "in_calls_waiting", metric: "waiting" }) })],
    ["percent_scale on a percent", app({ stats_totals: totals({ stat_name: "service_level", percent_scale: 100 }) })],
    ["percent_scale on an unknown statistic", app({ stats_totals: totals({ stat_name: "x_share", percent_scale: 100 }) })],
    ["label on a label column", app({ agent_grids: [grid("a", [agentKey, col("f", "firstname", { label: "given_name" })])] })],
  ])("%s", (_, appConfig) => {
    const { issues, warnings } = buildMetricPlan(config([appConfig]));
    expect(issues).toEqual([]);
    expect(warnings.filter((w) => !w.message.startsWith("unknown statistic"))).toEqual([]);
  });

  it("names the label a label column becomes when it has a metric", () => {
    const { warnings } = buildMetricPlan(
      config([app({ agent_grids: [grid("a", [agentKey, col("s", "Site Name", { type: "label", metric: "site" }), col("t", "team_name", { label: "squad", metric: "team" })])] })]),
    );
    expect(warnings.map((w) => w.message).filter((m) => m.startsWith('"metric"'))).toEqual([
      '"metric" has no effect on a label column (it becomes the label "site_name" of the info family)',
      '"metric" has no effect on a label column (it becomes the label "squad" of the info family)',
    ]);
  });
});
