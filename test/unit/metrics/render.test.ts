import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import { buildMetricPlan } from "../../../src/metrics/plan.js";
import { renderStatistics } from "../../../src/metrics/render.js";
import { escapeLabelValue, formatValue } from "../../../src/metrics/text-format.js";
import type { Config } from "../../../src/config/types.js";
import type { GridRow } from "../../../src/statsapi/types.js";
import { KNOWN_STATISTICS } from "../../../src/metrics/catalogue.js";
import { agentKey, app, col, config, grid, serviceKey, totals } from "../../support/config-builder.js";
import { type Sample, promtool, readExposition } from "./exposition-reader.js";

const FIXTURES = new URL("../../fixtures/metrics/", import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), "utf8");

function planOf(cfg: Config) {
  const { plan, issues } = buildMetricPlan(cfg);
  expect(issues).toEqual([]);
  return plan;
}

function agentsConfig(columns = [agentKey, col("fn", "firstname"), col("st", "acd_state"), col("d", "state_duration")], maxLabelLength = 256) {
  return planOf(config([app({ agent_grids: [grid("agents", columns)], chat_messages: { limit: 10 } })], { max_label_length: maxLabelLength }));
}

const agentsData = (rows: GridRow[], chat?: unknown[]) => ({ wb: { agent_grids: [{ id: "agents", values: rows }], ...(chat === undefined ? {} : { chat_messages: chat }) } });
const of = (samples: Sample[], name: string) => samples.filter((s) => s.name === name);

describe("renderStatistics: golden files (recorded-style data + config → exact exposition)", () => {
  it.each(["wallboard", "services"])("%s", async (name) => {
    const cfg = await parseConfig(fixture(`${name}.yaml`), { env: {}, baseDir: new URL(".", FIXTURES).pathname });
    const expected = fixture(`${name}.prom`);
    const rendered = renderStatistics(JSON.parse(fixture(`${name}.json`)), planOf(cfg));
    expect(rendered.text).toBe(expected);
    expect(rendered.series).toBe(expected.split("\n").filter((line) => line !== "" && !line.startsWith("#")).length);
    expect(promtool(rendered.text)).toEqual({ status: 0, output: "" });
    expect(() => readExposition(rendered.text)).not.toThrow();
  });

  it("counts what it skipped, by YAML path", async () => {
    const cfg = await parseConfig(fixture("wallboard.yaml"), { env: {}, baseDir: new URL(".", FIXTURES).pathname });
    const rendered = renderStatistics(JSON.parse(fixture("wallboard.json")), planOf(cfg));
    expect(rendered).toMatchObject({
      invalidValues: 2,
      invalidByPath: { "subscription.apps[0].stats_totals[5]": 1, "subscription.apps[0].agent_grids[0].columns[7]": 1 },
      rowsWithoutKey: 1,
      duplicateRows: 1,
      missing: ["subscription.apps[0].agent_grids[1]"],
    });
  });
});

describe("renderStatistics: every catalogued statistic", () => {
  it("renders in each of its scopes under a promtool-lint-clean name", () => {
    const known = Object.entries(KNOWN_STATISTICS);
    const inScope = (scope: "totals" | "service" | "agent") => known.filter(([name, info]) => info.scopes.includes(scope) && name !== "name" && name !== "login_id");
    const sample = (type: string) => (type === "label" ? "text" : type === "state" ? "ready" : "7");
    const services = [serviceKey, ...inScope("service").map(([name]) => col(name))];
    const agents = [agentKey, ...inScope("agent").map(([name]) => col(name))];
    const plan = planOf(
      config([app({ stats_totals: totals(...inScope("totals").map(([name]) => name)), service_grids: [grid("s", services)], agent_grids: [grid("a", agents)], chat_messages: { limit: 1 } })]),
    );
    const row = (key: string, scope: "service" | "agent") => Object.fromEntries([[key, "k1"], ...inScope(scope).map(([name, info]) => [name, sample(info.type)])]);
    const data = {
      wb: {
        stats_totals: Object.fromEntries(inScope("totals").map(([name, info]) => [name, sample(info.type)])),
        service_grids: [{ id: "s", values: [row("svc", "service")] }],
        agent_grids: [{ id: "a", values: [row("login", "agent")] }],
        chat_messages: [{ id: "1", login_id: "s", first_name: "S", last_name: "V", send_time: "1700000000", is_urgent: "0", content: "hi" }],
      },
    };
    const rendered = renderStatistics(data, plan);
    expect(rendered.invalidValues).toBe(0);
    expect(promtool(rendered.text)).toEqual({ status: 0, output: "" });
    const names = new Set(readExposition(rendered.text).map((s) => s.name));
    expect(names.size).toBe(plan.families.length);
  });
});

describe("renderStatistics: hostile strings still give a valid exposition", () => {
  const huge = "x".repeat(10_000);
  const hostile = ['quo"te', "back\\slash", "new\nline", "trailing\\", "Zoë Ωmega 日本語 🎧", "lone \uD800 high", "lone \uDC00 low", huge, `${huge}"\\\n`, "🎧".repeat(300)];

  it("in agent keys, label columns and chat content: escaped, truncated, well-formed; promtool and a strict reader accept it", () => {
    const rows = hostile.map((text, i) => ({ login: `${i}:${text}`, fn: text, st: text, d: String(i) }));
    const chat = hostile.map((text, i) => ({ id: `m${i}`, login_id: text, first_name: text, last_name: text, send_time: "1700000000", is_urgent: "1", content: text }));
    const rendered = renderStatistics(agentsData(rows, chat), agentsConfig(undefined, 64));
    expect(promtool(rendered.text)).toEqual({ status: 0, output: "" });
    const samples = readExposition(rendered.text);
    expect(rendered.series).toBe(samples.length);
    for (const sample of samples) {
      for (const value of Object.values(sample.labels)) {
        expect([...value].length).toBeLessThanOrEqual(64);
        expect(value).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      }
    }
    const names = of(samples, "brightpattern_agent_info").map((s) => s.labels.first_name);
    expect(names).toEqual([
      'quo"te',
      "back\\slash",
      "new\nline",
      "trailing\\",
      "Zoë Ωmega 日本語 🎧",
      "lone \uFFFD high",
      "lone \uFFFD low",
      `${"x".repeat(63)}…`,
      `${"x".repeat(63)}…`,
      `${"🎧".repeat(63)}…`,
    ]);
    expect(of(samples, "brightpattern_chat_message_timestamp_seconds").map((s) => s.labels.content)).toEqual(names);
    // An unknown state is its own state, escaped like any label value.
    expect(of(samples, "brightpattern_agent_state").filter((s) => s.value === 1).map((s) => s.labels.state)).toContain('quo"te');
  });

  it("in app and grid ids (config strings) too", () => {
    const plan = planOf(config([app({ app_id: 'wall"board\\', stats_totals: totals("agents_ready"), agent_grids: [grid("a\nb", [agentKey, col("d", "state_duration")])] })]));
    const samples = readExposition(renderStatistics({ 'wall"board\\': { stats_totals: { agents_ready: "2" }, agent_grids: [{ id: "a\nb", values: [{ login: "x", d: "1" }] }] } }, plan).text);
    expect(samples.map((s) => [s.labels.app_id, s.labels.grid])).toEqual([
      ["wall\"board\\", "a\nb"],
      ['wall"board\\', undefined],
    ]);
  });

  it("keeps one row when two keys truncate to the same label value (no duplicate series)", () => {
    const rows = [{ login: `${huge}a`, fn: "first" }, { login: `${huge}b`, fn: "second" }];
    const rendered = renderStatistics(agentsData(rows), agentsConfig([agentKey, col("fn", "firstname")], 32));
    const samples = readExposition(rendered.text);
    expect(of(samples, "brightpattern_agent_info").map((s) => s.labels.first_name)).toEqual(["first"]);
    expect(rendered.duplicateRows).toBe(1);
  });

  it.each<[string, number, string]>([
    ["short", 16, "short"],
    ["exactly sixteen!", 16, "exactly sixteen!"],
    ["seventeen chars!!", 16, "seventeen chars…"],
    ["🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧", 16, "🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧"],
    ["🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧", 16, "🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧…"],
    ['a"b\\c\nd', 16, 'a\\"b\\\\c\\nd'],
    ["\uDFFFx\uD83C", 16, "\uFFFDx\uFFFD"],
  ])("escapeLabelValue(%j, %d) → %j", (value, max, expected) => {
    expect(escapeLabelValue(value, max)).toBe(expected);
  });
});

describe("renderStatistics: rows, states, values", () => {
  it("drops the series of a row absent from the next data", () => {
    const plan = agentsConfig();
    const first = readExposition(renderStatistics(agentsData([{ login: "a", d: "1" }, { login: "b", d: "2" }, { login: "c", d: "3" }]), plan).text);
    const second = readExposition(renderStatistics(agentsData([{ login: "a", d: "4" }, { login: "c", d: "5" }]), plan).text);
    const durations = (samples: Sample[]) => of(samples, "brightpattern_agent_state_duration_seconds").map((s) => [s.labels.agent, s.value]);
    expect(durations(first)).toEqual([["a", 1], ["b", 2], ["c", 3]]);
    expect(durations(second)).toEqual([["a", 4], ["c", 5]]);
    expect(second.some((s) => s.labels.agent === "b")).toBe(false);
  });

  it.each<[string | null | undefined, Record<string, number>]>([
    ["ready", { ready: 1, not_ready: 0, busy: 0, after_call_work: 0, logged_out: 0 }],
    ["after_call_work", { ready: 0, not_ready: 0, busy: 0, after_call_work: 1, logged_out: 0 }],
    ["", { ready: 0, not_ready: 0, busy: 0, after_call_work: 0, logged_out: 1 }],
    [null, { ready: 0, not_ready: 0, busy: 0, after_call_work: 0, logged_out: 1 }],
    ["Supervising", { ready: 0, not_ready: 0, busy: 0, after_call_work: 0, logged_out: 0, supervising: 1 }],
    [undefined, {}], // the column is absent from the row: no value at all
  ])("the StateSet of acd_state %j", (state, expected) => {
    const row: GridRow = { login: "a" };
    if (state !== undefined) row.st = state;
    const samples = readExposition(renderStatistics(agentsData([row]), agentsConfig()).text);
    expect(Object.fromEntries(of(samples, "brightpattern_agent_state").map((s) => [s.labels.state, s.value]))).toEqual(expected);
  });

  it("counts and skips invalid values, keeping the rest of the row and grid", () => {
    const plan = agentsConfig([agentKey, col("d", "state_duration"), col("h", "in_calls_handled_per_day")]);
    const rendered = renderStatistics(agentsData([{ login: "a", d: "soon", h: "3" }, { login: "b", d: "7", h: "many" }, { login: "c", d: "", h: null }]), plan);
    expect(rendered.invalidValues).toBe(2);
    expect(rendered.invalidByPath).toEqual({ "subscription.apps[0].agent_grids[0].columns[1]": 1, "subscription.apps[0].agent_grids[0].columns[2]": 1 });
    const samples = readExposition(rendered.text);
    expect(samples.map((s) => [s.name, s.labels.agent, s.value])).toEqual([
      ["brightpattern_agent_in_calls_handled_per_day", "a", 3],
      ["brightpattern_agent_state_duration_seconds", "b", 7],
    ]);
  });

  it("reads only a row's own cells: column ids like constructor or toString are not Object.prototype", () => {
    const plan = agentsConfig([col("toString", "login_id"), col("constructor", "in_calls_handled_per_day"), col("valueOf", "firstname")]);
    const rendered = renderStatistics(agentsData([JSON.parse('{"toString": "a", "valueOf": "A"}'), JSON.parse('{"constructor": "3"}')]), plan);
    expect(rendered).toMatchObject({ invalidValues: 0, rowsWithoutKey: 1 });
    expect(readExposition(rendered.text).map((s) => [s.name, s.labels.agent, s.labels.first_name])).toEqual([["brightpattern_agent_info", "a", "A"]]);
  });

  it("renders nothing, without throwing, for configured parts absent from the data or data of the wrong shape", () => {
    const plan = planOf(config([app({ stats_totals: totals("in_calls_waiting"), agent_grids: [grid("agents", [agentKey, col("d", "state_duration")])], chat_messages: { limit: 3 } })]));
    for (const data of [{}, null, "text", { wb: null }, { wb: { stats_totals: [], agent_grids: "x", chat_messages: {} } }, { wb: { agent_grids: [{ id: "agents", values: [null, 5, "row"] }] } }]) {
      const rendered = renderStatistics(data, plan);
      expect(rendered.text).toBe("");
      expect(rendered.series).toBe(0);
    }
    expect(renderStatistics({}, plan).missing).toEqual(["subscription.apps[0]"]);
    expect(renderStatistics({ wb: {} }, plan).missing).toEqual(["subscription.apps[0].stats_totals", "subscription.apps[0].agent_grids[0]", "subscription.apps[0].chat_messages"]);
  });

  it("renders label columns missing from the data as empty labels, without throwing (grid and stats_totals)", () => {
    const plan = planOf(
      config([
        app({
          stats_totals: totals("in_calls_waiting", { stat_name: "site_name", type: "label", label: "site" }, "parked_calls"),
          agent_grids: [grid("agents", [agentKey, col("fn", "firstname"), col("tm", "team_name"), col("d", "state_duration")])],
        }),
      ]),
    );
    const rendered = renderStatistics({ wb: { stats_totals: { in_calls_waiting: "2" }, agent_grids: [{ id: "agents", values: [{ login: "a", d: "5" }, { login: "b", fn: "Bo" }] }] } }, plan);
    expect(rendered).toMatchObject({ invalidValues: 0, rowsWithoutKey: 0, missing: [] });
    const samples = readExposition(rendered.text);
    expect(of(samples, "brightpattern_agent_info").map((s) => s.labels)).toEqual([
      { app_id: "wb", grid: "agents", agent: "a", first_name: "", team_name: "" },
      { app_id: "wb", grid: "agents", agent: "b", first_name: "Bo", team_name: "" },
    ]);
    expect(of(samples, "brightpattern_totals_info").map((s) => s.labels)).toEqual([{ app_id: "wb", site: "" }]);
    expect(of(samples, "brightpattern_in_calls_waiting").map((s) => s.value)).toEqual([2]);
    expect(rendered.series).toBe(samples.length);
  });

  it("skips chat messages without an id (counted) or without a send time (no sample, not invalid)", () => {
    const plan = planOf(config([app({ chat_messages: { limit: 5 } })]));
    const rendered = renderStatistics(
      { wb: { chat_messages: [{ send_time: "1700000000", content: "no id" }, { id: "", send_time: "1700000000" }, { id: "n", content: "no time" }, { id: 7, send_time: "1700000001" }, "junk"] } },
      plan,
    );
    const samples = readExposition(rendered.text);
    expect(of(samples, "brightpattern_chat_message_timestamp_seconds").map((s) => [s.labels.id, s.labels.login_id, s.labels.urgent, s.value])).toEqual([["7", "", "false", 1700000001]]);
    expect(of(samples, "brightpattern_chat_messages")[0]?.value).toBe(4);
    expect(rendered).toMatchObject({ rowsWithoutKey: 2, invalidValues: 0, duplicateRows: 0 });
  });

  it("reads unknown totals as numbers: text is counted as invalid, never an info label", () => {
    const plan = planOf(config([app({ stats_totals: totals("x_parked", { stat_name: "x_note" }) })]));
    const numbers = renderStatistics({ wb: { stats_totals: { x_parked: "3", x_note: "" } } }, plan);
    expect(readExposition(numbers.text).map((s) => [s.name, s.value])).toEqual([["brightpattern_x_parked", 3]]);
    const text = renderStatistics({ wb: { stats_totals: { x_parked: "3", x_note: "late shift" } } }, plan);
    expect(readExposition(text.text).map((s) => [s.name, s.labels])).toEqual([["brightpattern_x_parked", { app_id: "wb" }]]);
    expect(text.invalidByPath).toEqual({ "subscription.apps[0].stats_totals[1]": 1 });
  });

  it("renders no info series for grids or totals absent from the data, and misses no stats_totals it was not asked for", () => {
    const plan = planOf(config([app({ stats_totals: totals({ stat_name: "site_name", type: "label" }), agent_grids: [grid("agents", [agentKey, col("fn", "firstname")])] })]));
    expect(renderStatistics({ wb: {} }, plan)).toMatchObject({ text: "", series: 0 });
    const gridsOnly = planOf(config([app({ agent_grids: [grid("agents", [agentKey, col("fn", "firstname")])] })]));
    expect(renderStatistics({ wb: { agent_grids: [{ id: "agents", values: [] }] } }, gridsOnly).missing).toEqual([]);
    expect(renderStatistics({ wb: { agent_grids: [{ id: "agents", values: "rows" }] } }, gridsOnly)).toMatchObject({ text: "", rowsWithoutKey: 0, missing: [] });
  });

  it("counts an is_urgent that is not a boolean as invalid, and still serves the message as not urgent", () => {
    const plan = planOf(config([app({ chat_messages: { limit: 3 } })]));
    const rendered = renderStatistics({ wb: { chat_messages: [{ id: "a", send_time: "1700000000", is_urgent: "maybe" }] } }, plan);
    expect(rendered).toMatchObject({ invalidValues: 1, invalidByPath: { "subscription.apps[0].chat_messages": 1 } });
    const samples = readExposition(rendered.text);
    expect(of(samples, "brightpattern_chat_message_timestamp_seconds").map((s) => s.labels.urgent)).toEqual(["false"]);
    expect(of(samples, "brightpattern_chat_messages_urgent")[0]?.value).toBe(0);
  });

  it("counts the rows served per grid and whether the upstream's rows reached the grid's limit", () => {
    const plan = planOf(config([app({ agent_grids: [grid("agents", [agentKey, col("d", "state_duration")], "login")].map((g) => ({ ...g, limit: 2 })), service_grids: [grid("s", [serviceKey])] })]));
    const rendered = renderStatistics({ wb: { agent_grids: [{ id: "agents", values: [{ login: "a", d: "1" }, { login: "", d: "2" }] }], service_grids: [{ id: "s", values: [] }] } }, plan);
    expect(rendered.gridRows).toEqual([
      { appId: "wb", grid: "s", scope: "service", rows: 0, limitReached: false },
      { appId: "wb", grid: "agents", scope: "agent", rows: 1, limitReached: true },
    ]);
  });

  it("bounds chat messages by the app's limit, skips duplicate ids and counts bad send times", () => {
    const plan = planOf(config([app({ chat_messages: { limit: 3 } })]));
    const message = (id: string, send_time: string, is_urgent = "0") => ({ id, login_id: "s", first_name: "S", last_name: "V", send_time, is_urgent, content: id });
    const rendered = renderStatistics(
      { wb: { chat_messages: [message("a", "1700000000", "1"), message("a", "1700000001"), message("b", "never"), message("c", "1700000002"), message("d", "1700000003")] } },
      plan,
    );
    const samples = readExposition(rendered.text);
    expect(of(samples, "brightpattern_chat_message_timestamp_seconds").map((s) => [s.labels.id, s.labels.urgent, s.value])).toEqual([["a", "true", 1700000000]]);
    expect(of(samples, "brightpattern_chat_messages")[0]?.value).toBe(5);
    expect(of(samples, "brightpattern_chat_messages_urgent")[0]?.value).toBe(1);
    expect(rendered).toMatchObject({ duplicateRows: 1, invalidValues: 1, invalidByPath: { "subscription.apps[0].chat_messages": 1 } });
  });
});

describe("formatValue", () => {
  it.each<[number, string]>([
    [12, "12"],
    [0, "0"],
    [-0, "0"],
    [-3, "-3"],
    [0.1 + 0.2, "0.30000000000000004"],
    [0.85, "0.85"],
    [1e21, "1e+21"],
    [1.5e-7, "1.5e-7"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "+Inf"],
    [Number.NEGATIVE_INFINITY, "-Inf"],
  ])("%d → %s", (value, expected) => {
    expect(formatValue(value)).toBe(expected);
  });
});

describe("renderStatistics: states and labels a supervisor can trust", () => {
  it('an empty acd_next_state is no pending state: state "none", never logged_out', () => {
    const plan = agentsConfig([agentKey, col("st", "acd_state"), col("nx", "acd_next_state")]);
    const samples = readExposition(renderStatistics(agentsData([{ login: "a", st: "busy", nx: "" }, { login: "b", st: "busy", nx: "not_ready" }]), plan).text);
    const current = (agent: string) => of(samples, "brightpattern_agent_next_state").filter((s) => s.labels.agent === agent && s.value === 1).map((s) => s.labels.state);
    expect(current("a")).toEqual(["none"]);
    expect(current("b")).toEqual(["not_ready"]);
    // Every agent has the same state series, pending or not: no churn when something becomes pending.
    const states = (agent: string) => of(samples, "brightpattern_agent_next_state").filter((s) => s.labels.agent === agent).map((s) => s.labels.state);
    expect(states("a")).toEqual(states("b"));
    expect(states("a")).toContain("logged_out");
    // acd_state keeps its meaning: empty is logged out, and has no "none".
    const acd = readExposition(renderStatistics(agentsData([{ login: "a", st: "", nx: "" }]), plan).text);
    expect(of(acd, "brightpattern_agent_state").filter((s) => s.value === 1).map((s) => s.labels.state)).toEqual(["logged_out"]);
    expect(of(acd, "brightpattern_agent_state").map((s) => s.labels.state)).not.toContain("none");
  });

  it("keeps the reason and the media type out of agent_info by default: their own families, one series per agent at most", () => {
    const columns = [agentKey, col("fn", "firstname"), col("why", "reason"), col("media", "active_item_media_type")];
    const plan = planOf(config([app({ agent_grids: [grid("agents", columns)] })]));
    const texts = ([["", ""], ["Lunch", ""], ["Meeting", ""], ["", "voice"], ["", "chat"]] as const).map(
      ([why, media]) => renderStatistics(agentsData([{ login: "a", fn: "Ann", why, media }]), plan).text,
    );
    for (const text of texts) expect(promtool(text)).toEqual({ status: 0, output: "" });
    const polls = texts.map(readExposition);
    const infoSets = new Set(polls.flatMap((samples) => of(samples, "brightpattern_agent_info").map((s) => JSON.stringify(s.labels))));
    expect([...infoSets]).toEqual([JSON.stringify({ app_id: "wb", grid: "agents", agent: "a", first_name: "Ann" })]);
    expect(polls.map((samples) => of(samples, "brightpattern_agent_reason_info").map((s) => s.labels.reason))).toEqual([[], ["Lunch"], ["Meeting"], [], []]);
    expect(polls.map((samples) => of(samples, "brightpattern_agent_media_type_info").map((s) => s.labels.media_type))).toEqual([[], [], [], ["voice"], ["chat"]]);
    // volatile_labels: agent_info keeps them as labels of agent_info (dashboards of one's own that read them there).
    const legacy = planOf(config([app({ agent_grids: [grid("agents", columns)] })], { volatile_labels: "agent_info" }));
    const infos = readExposition(renderStatistics(agentsData([{ login: "a", fn: "Ann", why: "Lunch", media: "" }]), legacy).text);
    expect(of(infos, "brightpattern_agent_info").map((s) => [s.labels.reason, s.labels.media_type])).toEqual([["Lunch", ""]]);
  });

  it("never makes text of an unknown statistic a label: counted as invalid instead (unless the column says type: label)", () => {
    const plan = agentsConfig([agentKey, col("p", "parked_calls")]);
    const rendered = renderStatistics(agentsData([{ login: "a", p: "2" }, { login: "b", p: "85%" }, { login: "c", p: "00:01:05" }]), plan);
    const samples = readExposition(rendered.text);
    expect(samples.map((s) => [s.name, s.labels.agent, s.value])).toEqual([["brightpattern_agent_parked_calls", "a", 2]]);
    expect(rendered.invalidValues).toBe(2);
    const labelled = agentsConfig([agentKey, { id: "p", stat_name: "parked_calls", type: "label" }]);
    const asLabel = readExposition(renderStatistics(agentsData([{ login: "b", p: "85%" }]), labelled).text);
    expect(asLabel.map((s) => [s.name, s.labels.parked_calls])).toEqual([["brightpattern_agent_info", "85%"]]);
  });

  it('renders a percent on scale 100 as the decimal it was ("80.1" → 0.801), and skips "1e309"', () => {
    const plan = planOf(config([app({ service_grids: [grid("s", [serviceKey, col("sl", "service_level")])] })]));
    const rendered = renderStatistics({ wb: { service_grids: [{ id: "s", values: [{ svc: "A", sl: "80.1" }, { svc: "B", sl: "1e309" }] }] } }, plan);
    expect(rendered.text).toContain('brightpattern_service_service_level_ratio{app_id="wb",grid="s",service_name="A"} 0.801\n');
    expect(rendered.text).not.toContain("Inf");
    expect(rendered.invalidValues).toBe(1);
  });
});
