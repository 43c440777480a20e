// The metric plan at its edges: family headers of every kind in both formats, SUM help texts, which text
// columns get families of their own, and the warning for a limited grid ordered by a churning value.
import { describe, expect, it } from "vitest";
import type { AppConfig, ColumnConfig, Config, GridConfig } from "../../../src/config/types.js";
import { buildMetricPlan, churningOrder } from "../../../src/metrics/plan.js";
import { renderStatistics } from "../../../src/metrics/render.js";
import { agentKey, app, col, config, grid, serviceKey, totals } from "../../support/config-builder.js";

function planOf(cfg: Config) {
  const { plan, issues } = buildMetricPlan(cfg);
  expect(issues).toEqual([]);
  return plan;
}
const familiesOf = (apps: AppConfig[], metrics: Partial<Config["metrics"]> = {}) => new Map(planOf(config(apps, metrics)).families.map((f) => [f.name, f]));
const sum = (id: string, names: string[], more: Partial<ColumnConfig> = {}) => col(id, "SUM", { sum_stat_names: names, ...more });

describe("buildMetricPlan: family headers of every kind", () => {
  const families = familiesOf([
    app({
      stats_totals: totals({ stat_name: "team", type: "label", label: "team" }),
      service_grids: [grid("s", [serviceKey, col("t", "team_x", { type: "label", label: "team" })])],
      agent_grids: [grid("a", [agentKey, col("r", "reason"), col("st", "acd_state")])],
      chat_messages: { limit: 3 },
    }),
  ]);
  const om = (name: string) => families.get(name)?.openMetricsHeader;

  it("an info family: TYPE info under the name without _info (text: a gauge)", () => {
    expect(families.get("brightpattern_totals_info")?.header).toBe(
      "# HELP brightpattern_totals_info Text statistics of the app as labels; the value is always 1.\n# TYPE brightpattern_totals_info gauge\n",
    );
    expect(om("brightpattern_totals_info")).toBe("# TYPE brightpattern_totals info\n# HELP brightpattern_totals Text statistics of the app as labels; the value is always 1.\n");
    expect(om("brightpattern_service_info")).toBe(
      "# TYPE brightpattern_service info\n# HELP brightpattern_service Text statistics of each service of the grid as labels; the value is always 1.\n",
    );
  });

  it("a volatile label's own family is an info family too", () => {
    expect(om("brightpattern_agent_reason_info")).toMatch(/^# TYPE brightpattern_agent_reason info\n# HELP brightpattern_agent_reason Why the agent is not ready/);
  });

  it("a state column is a state set", () => {
    expect(om("brightpattern_agent_state")).toMatch(/^# TYPE brightpattern_agent_state stateset\n/);
  });

  it("the chat families are gauges, the timestamps in seconds", () => {
    expect(om("brightpattern_chat_message_timestamp_seconds")).toMatch(
      /^# TYPE brightpattern_chat_message_timestamp_seconds gauge\n# UNIT brightpattern_chat_message_timestamp_seconds seconds\n/,
    );
    expect(om("brightpattern_chat_messages")).toBe("# TYPE brightpattern_chat_messages gauge\n# HELP brightpattern_chat_messages Internal chat messages in the latest data (messages).\n");
    expect(om("brightpattern_chat_messages_urgent")).toMatch(/^# TYPE brightpattern_chat_messages_urgent gauge\n/);
  });
});

describe("buildMetricPlan: what a SUM column's HELP says", () => {
  const helps = () => {
    const families = familiesOf([
      app({
        service_grids: [
          grid("s", [
            serviceKey,
            sum("ab", ["in_calls_abandoned_in_queue_per_day", "in_calls_short_abandoned_in_queue_per_day"]),
            sum("mix", ["in_calls_waiting", "in_max_wait_time"]),
            sum("unk", ["foo_x", "bar_y"]),
            sum("waits", ["in_max_wait_time", "in_average_speed_of_answer"]),
          ]),
        ],
      }),
    ]);
    return (name: string) => /^# HELP \S+ (.*)\n/.exec(families.get(name)?.header ?? "")?.[1];
  };

  it("joins the catalogue's words with plus and keeps a unit they share", () => {
    expect(helps()("brightpattern_service_ab")).toBe(
      'Inbound calls abandoned in queue today after the short-abandon threshold ("long abandoned" in the vendor\'s wallboard) plus inbound calls abandoned in queue within the short-abandon threshold today (calls). One series per service.',
    );
    expect(helps()("brightpattern_service_waits_seconds")).toBe(
      "How long the longest-waiting inbound call has waited plus average time inbound calls waited before being answered today, in seconds. One series per service.",
    );
  });

  it("names no unit when they do not share one, and names unknown statistics as they are", () => {
    expect(helps()("brightpattern_service_mix")).toBe("Inbound calls waiting in queue now plus how long the longest-waiting inbound call has waited. One series per service.");
    expect(helps()("brightpattern_service_unk")).toBe("The statistic foo_x plus the statistic bar_y. One series per service.");
  });

  it("a SUM made a label is labelled after its column id", () => {
    const plan = planOf(config([app({ service_grids: [grid("s", [serviceKey, sum("both", ["foo", "bar"], { type: "label" })])] })]));
    const rendered = renderStatistics({ wb: { service_grids: [{ id: "s", values: [{ svc: "a", both: "x" }] }] } }, plan);
    expect(rendered.text).toContain('brightpattern_service_info{app_id="wb",grid="s",service_name="a",both="x"} 1');
  });
});

describe("buildMetricPlan: which text gets a family of its own", () => {
  it("a volatile statistic read as a number is a plain gauge, not a label family", () => {
    const families = familiesOf([app({ agent_grids: [grid("a", [agentKey, col("r", "reason", { type: "number" })])] })]);
    expect([...families.keys()]).toEqual(["brightpattern_agent_reason"]);
  });

  it("a volatile statistic in stats_totals is a label of the app's info family", () => {
    const plan = planOf(config([app({ stats_totals: totals({ stat_name: "reason", type: "label" }) })]));
    expect(plan.families.map((f) => f.name)).toEqual(["brightpattern_totals_info"]);
    expect(renderStatistics({ wb: { stats_totals: { reason: "Lunch" } } }, plan).text).toContain('brightpattern_totals_info{app_id="wb",reason="Lunch"} 1');
  });

  it("a state column of an unknown statistic is a state set with the usual states", () => {
    const plan = planOf(config([app({ agent_grids: [grid("a", [agentKey, col("z", "zork_state", { type: "state" })])] })]));
    const rendered = renderStatistics({ wb: { agent_grids: [{ id: "a", values: [{ login: "u1", z: "Ready" }] }] } }, plan);
    expect(rendered.text).toContain('brightpattern_agent_zork_state{app_id="wb",grid="a",agent="u1",state="ready"} 1');
    expect(rendered.series).toBe(5);
  });
});

describe("churningOrder: a limited grid ordered by a value that changes every poll", () => {
  const columns = [col("login", "login_id"), col("fn", "firstname"), col("d", "state_duration"), col("r", "reason"), col("u", "zork"), col("ul", "zork_text", { type: "label" }), col("5", "acd_state")];
  const limited = (more: Partial<GridConfig>): GridConfig => ({ ...grid("a", columns, "login"), limit: 10, ...more });

  it.each<[string, Partial<GridConfig>, string | undefined]>([
    ["a duration", { order_by: "d" }, "d"],
    ["a volatile text (the reason)", { order_by: "r" }, "r"],
    ["an unknown statistic (a number)", { order_by: "u" }, "u"],
    ["the first `order` entry, by name", { extra: { order: [{ by: "d", dir: "DESC" }] } }, "d"],
    ["the first `order` entry, by a numeric column id", { extra: { order: [{ by: 5 }] } }, "5"],
    ["the key column", { order_by: "login" }, undefined],
    ["a stable text", { order_by: "fn" }, undefined],
    ["an unknown statistic read as a label", { order_by: "ul" }, undefined],
    ["a column the grid does not have", { order_by: "nope" }, undefined],
    ["nothing", {}, undefined],
  ])("%s", (_, more, churning) => {
    expect(churningOrder(limited(more))).toBe(churning);
  });

  it("is nothing without a limit, and ordering by a numeric key is no churn", () => {
    expect(churningOrder({ ...limited({ order_by: "d" }), limit: undefined })).toBeUndefined();
    const byNumber = { ...grid("s", [col("w", "in_calls_waiting"), col("d", "in_max_wait_time")], "w"), limit: 10, order_by: "w" };
    expect(churningOrder(byNumber)).toBeUndefined();
  });
});

describe("buildMetricPlan: the tenant label", () => {
  const withLabel = (label: string) =>
    config([
      app({
        stats_totals: totals({ stat_name: "team", type: "label", label }),
        agent_grids: [grid("a", [agentKey, col("r", "reason", { label })])],
      }),
    ]);

  it("is refused as a label name in a tenant's config, where every series carries it (volatile families too)", () => {
    const message = 'label "tenant" is already a label of every series in a config with tenants (the tenant\'s name): set "label" to another name';
    expect(buildMetricPlan(withLabel("tenant"), { tenant: true }).issues).toEqual([
      { path: "subscription.apps[0].stats_totals[0]", message },
      { path: "subscription.apps[0].agent_grids[0].columns[1]", message },
    ]);
  });

  it("is an ordinary label name in a single-tenant config", () => {
    expect(buildMetricPlan(withLabel("tenant")).issues).toEqual([]);
    expect(buildMetricPlan(withLabel("team"), { tenant: true }).issues).toEqual([]);
  });
});
