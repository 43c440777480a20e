import { describe, expect, it } from "vitest";
import { ContactCenter } from "../../../src/simulator/contact-center.js";
import { buildDataAnswer, compareValues, matches } from "../../../src/simulator/data-answer.js";
import { STATISTICS } from "../../../src/simulator/statistics.js";
import { parseSubscriptionRequest } from "../../../src/simulator/subscription-request.js";

type Row = Record<string, string>;
interface App {
  stats_totals?: Record<string, string>;
  service_grids?: { id: string; values: Row[] }[];
  agent_grids?: { id: string; values: Row[] }[];
  chat_messages?: Record<string, string>[];
}

const c = new ContactCenter({ seed: 21, agents: 300, services: 8, startEpochSeconds: Date.UTC(2026, 0, 5, 9) / 1000 });
c.tick(900);

function answer(app: unknown): App {
  const text = buildDataAnswer(c, parseSubscriptionRequest({ wb: app }));
  return (JSON.parse(text) as { wb: App }).wb;
}
const agentGrid = (grid: Record<string, unknown>): Row[] => answer({ agent_grids: [{ id: "g", ...grid }] }).agent_grids?.[0]?.values ?? [];
const serviceGrid = (grid: Record<string, unknown>): Row[] => answer({ service_grids: [{ id: "g", ...grid }] }).service_grids?.[0]?.values ?? [];
const cols = (...stats: string[]) => stats.map((s) => ({ id: s, stat_name: s }));

describe("buildDataAnswer", () => {
  it("answers every known statistic, every value a string, rows keyed by the client's column ids only", () => {
    const service = Object.keys(STATISTICS).filter((s) => STATISTICS[s]?.scope === "service");
    const agent = Object.keys(STATISTICS).filter((s) => STATISTICS[s]?.scope === "agent");
    const app = answer({
      stats_totals: service.filter((s) => STATISTICS[s]?.totals),
      service_grids: [{ id: "s", columns: service.map((s, i) => ({ id: `c${i}`, stat_name: s })) }],
      agent_grids: [{ id: "a", columns: agent.map((s, i) => ({ id: `c${i}`, statName: s })) }],
    });
    const values = [
      ...Object.values(app.stats_totals ?? {}),
      ...(app.service_grids?.[0]?.values ?? []).flatMap((r) => Object.values(r)),
      ...(app.agent_grids?.[0]?.values ?? []).flatMap((r) => Object.values(r)),
    ];
    expect(values.every((v) => typeof v === "string")).toBe(true);
    expect(Object.keys(app.agent_grids?.[0]?.values[0] ?? {})).toEqual(agent.map((_s, i) => `c${i}`));
    expect(app.agent_grids?.[0]?.values).toHaveLength(300);
    // Numbers are integers (durations, counts) or decimals (percents); nothing else sneaks in.
    for (const [i, stat] of service.entries()) {
      for (const row of app.service_grids?.[0]?.values ?? []) {
        const v = row[`c${i}`] as string;
        if (STATISTICS[stat]?.kind === "count" || STATISTICS[stat]?.kind === "duration") expect(v).toMatch(/^(\d+)?$/);
      }
    }
  });

  it("computes totals from the model, restricted by stats_totals_service_ids", () => {
    const all = answer({ stats_totals: ["in_calls_received_per_day", "in_calls_waiting", "agents_logged", "agents_ready"] }).stats_totals;
    expect(all?.in_calls_received_per_day).toBe(String(c.services.reduce((n, s) => n + s.received, 0)));
    expect(all?.in_calls_waiting).toBe(String(c.services.reduce((n, s) => n + s.queueArrivals.length, 0)));
    expect(all?.agents_logged).toBe(String(c.agents.filter((a) => a.state !== "").length));
    expect(all?.agents_ready).toBe(String(c.agents.filter((a) => a.state === "ready").length));
    const ids = [c.roster.services[1]?.id, c.roster.services[3]?.id];
    const some = answer({ stats_totals: ["in_calls_received_per_day"], stats_totals_service_ids: ids }).stats_totals;
    expect(some?.in_calls_received_per_day).toBe(String((c.services[1]?.received ?? 0) + (c.services[3]?.received ?? 0)));
  });

  it("gives percents 0–1 in totals and 0–100 in grids, and \"\" where nothing was answered", () => {
    const only = [c.roster.services[2]?.id];
    const total = Number(answer({ stats_totals: ["service_level"], stats_totals_service_ids: only }).stats_totals?.service_level);
    const row = serviceGrid({ columns: cols("name", "service_level"), service_ids: only })[0];
    const s = c.services[2];
    expect(total).toBeCloseTo((s?.answeredInSl ?? 0) / (s?.answered ?? 1), 4);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(1);
    expect(Number(row?.service_level)).toBeCloseTo(total * 100, 2);
    const empty = new ContactCenter({ seed: 1, agents: 0, services: 0, startEpochSeconds: 0 });
    const text = buildDataAnswer(empty, parseSubscriptionRequest({ wb: { stats_totals: ["service_level", "in_average_speed_of_answer", "in_calls_waiting"] } }));
    expect(JSON.parse(text)).toEqual({ wb: { stats_totals: { service_level: "", in_average_speed_of_answer: "", in_calls_waiting: "0" } } });
  });

  it("gives logged-out agents \"\" for state, reason and durations, and lowercase states otherwise", () => {
    const rows = agentGrid({ columns: cols("login_id", "acd_state", "reason", "state_duration", "login_time") });
    const out = rows.filter((_r, i) => c.agents[i]?.state === "");
    expect(out.length).toBeGreaterThan(0);
    for (const r of out) expect([r.acd_state, r.reason, r.state_duration, r.login_time]).toEqual(["", "", "", ""]);
    for (const r of rows) expect(r.acd_state).toMatch(/^(|ready|not_ready|busy|after_call_work)$/);
  });

  it("sums sum_stat_names per row", () => {
    const parts = ["in_calls_handled_per_day", "out_calls_handled_per_day"];
    const rows = agentGrid({ columns: [...cols("login_id", ...parts), { id: "sum", stat_name: "SUM", sum_stat_names: parts }] });
    for (const r of rows) expect(Number(r.sum)).toBe(Number(r.in_calls_handled_per_day) + Number(r.out_calls_handled_per_day));
    expect(rows.some((r) => Number(r.out_calls_handled_per_day) > 0)).toBe(true);
  });

  it("counts calls_dispositions_per_day for the listed dispositions only", () => {
    const names = c.roster.dispositions.map((d) => d.name);
    const rows = agentGrid({ columns: [{ id: "all", stat_name: "calls_dispositions_per_day" }, { id: "sale", stat_name: "calls_dispositions_per_day", dispositions: ["Sale"] }] });
    const sale = names.indexOf("Sale");
    rows.forEach((r, i) => {
      const counts = c.agents[i]?.dispositions ?? new Uint32Array();
      expect(r.sale).toBe(String(counts[sale]));
      expect(r.all).toBe(String(counts.reduce((a, b) => a + b, 0)));
    });
    expect(rows.some((r) => Number(r.all) > Number(r.sale))).toBe(true);
  });

  it("orders numerically when both values are numbers, as strings otherwise, then limits", () => {
    const full = agentGrid({ columns: cols("login_id", "in_calls_handled_per_day") });
    const desc = agentGrid({ columns: cols("login_id", "in_calls_handled_per_day"), order_by: "in_calls_handled_per_day", order_dir: "DESC" });
    const counts = desc.map((r) => Number(r.in_calls_handled_per_day));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(new Set(counts).size).toBeGreaterThan(5);
    expect(desc.map((r) => r.login_id).sort()).toEqual(full.map((r) => r.login_id).sort());
    const byName = agentGrid({ columns: cols("login_id"), order: [{ by: "login_id", dir: "ASC" }], limit: "10" });
    expect(byName.map((r) => r.login_id)).toEqual(full.map((r) => r.login_id as string).sort().slice(0, 10));
    expect(agentGrid({ columns: cols("login_id"), limit: 0 })).toEqual([]);
  });

  it("filters with string or numeric comparison and every operation", () => {
    const full = agentGrid({ columns: cols("login_id", "acd_state", "in_calls_handled_per_day") });
    const ready = agentGrid({ columns: cols("login_id", "acd_state", "in_calls_handled_per_day"), filter_by: "acd_state", filter_value: "ready", filter_operation: "EQ" });
    expect(ready).toEqual(full.filter((r) => r.acd_state === "ready"));
    const loggedIn = agentGrid({ columns: cols("login_id", "acd_state", "in_calls_handled_per_day"), filter_by: "acd_state", filter_value: "", filter_operation: "NE" });
    expect(loggedIn).toEqual(full.filter((r) => r.acd_state !== ""));
    for (const op of ["LT", "GT", "LE", "GE"] as const) {
      const rows = agentGrid({ columns: cols("login_id", "acd_state", "in_calls_handled_per_day"), filter_by: "in_calls_handled_per_day", filter_value: "9", filter_operation: op });
      const test = { LT: (n: number) => n < 9, GT: (n: number) => n > 9, LE: (n: number) => n <= 9, GE: (n: number) => n >= 9 }[op];
      expect(rows, op).toEqual(full.filter((r) => test(Number(r.in_calls_handled_per_day))));
    }
  });

  it("restricts agent grids by team_ids, service_ids and logged_in_agents_only", () => {
    const team = c.roster.teams[2];
    const service = c.roster.services[4];
    const byTeam = agentGrid({ columns: cols("login_id", "team_name"), team_ids: [team?.id] });
    expect(byTeam.length).toBeGreaterThan(0);
    expect(byTeam.every((r) => r.team_name === team?.name)).toBe(true);
    const byService = agentGrid({ columns: cols("login_id"), service_ids: [service?.id] });
    expect(byService.map((r) => r.login_id)).toEqual(c.roster.agents.filter((a) => a.services.includes(4)).map((a) => a.loginId));
    const loggedIn = agentGrid({ columns: cols("login_id"), logged_in_agents_only: "true" });
    expect(loggedIn).toHaveLength(c.agents.filter((a) => a.state !== "").length);
    expect(serviceGrid({ columns: cols("name"), service_ids: [service?.id] })).toEqual([{ name: service?.name }]);
  });

  it("serves chat messages newest first, filtered by content and limited", () => {
    const all = answer({ chat_messages: {} }).chat_messages ?? [];
    expect(all.length).toBe(c.chat.length);
    const times = all.map((m) => Date.parse(m.send_time as string));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const m of all) {
      expect(m.send_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
      expect(["0", "1"]).toContain(m.is_urgent);
      expect(Object.keys(m)).toEqual(["id", "login_id", "first_name", "last_name", "send_time", "is_urgent", "content"]);
    }
    const word = (all[0]?.content as string).slice(0, 6);
    const filtered = answer({ chat_messages: { filter: word, limit: "2" } }).chat_messages ?? [];
    expect(filtered).toEqual(all.filter((m) => (m.content as string).includes(word)).slice(0, 2));
  });
});

describe("compareValues and matches", () => {
  it.each([
    ["10", "9", 1],
    ["9", "10", -1],
    ["2.5", "2.50", 0],
    ["abc", "abd", -1],
    ["10", "9a", -1], // not both numbers: string order
    ["", "0", -1],
  ])("compares %j with %j", (a, b, sign) => {
    expect(Math.sign(compareValues(a, b))).toBe(sign);
  });

  it("applies each operation", () => {
    expect(matches("5", "EQ", "5.0")).toBe(true);
    expect(matches("ready", "NE", "")).toBe(true);
    expect(matches("", "NE", "")).toBe(false);
    expect(matches("12", "GT", "9")).toBe(true);
    expect(matches("12", "LT", "9")).toBe(false);
    expect(matches("b", "GE", "a")).toBe(true);
    expect(matches("a", "LE", "a")).toBe(true);
  });
});
