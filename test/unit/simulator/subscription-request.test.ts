import { describe, expect, it } from "vitest";
import { ERROR_CODES, SubscriptionRequestError, parseSubscriptionRequest } from "../../../src/simulator/subscription-request.js";

const grid = (extra: Record<string, unknown> = {}) => ({
  id: "agents",
  columns: [{ id: "login", stat_name: "login_id" }, { id: "handled", stat_name: "in_calls_handled_per_day" }],
  ...extra,
});
const agentApp = (g: unknown) => ({ wb: { agent_grids: [g] } });

function rejection(body: unknown): SubscriptionRequestError {
  try {
    parseSubscriptionRequest(body);
  } catch (error) {
    if (error instanceof SubscriptionRequestError) return error;
    throw error;
  }
  throw new Error("accepted");
}

describe("parseSubscriptionRequest rejects like a picky server", () => {
  it.each([
    ["an array body", [], ERROR_CODES.body, "body"],
    ["a string body", "x", ERROR_CODES.body, "body"],
    ["no app id", {}, ERROR_CODES.body, "names no app id"],
    ["an app that is not an object", { wb: [] }, ERROR_CODES.app, '"wb": app must be an object'],
    ["stats_totals not an array of strings", { wb: { stats_totals: [1] } }, ERROR_CODES.app, '"wb".stats_totals'],
    ["an unknown total", { wb: { stats_totals: ["nope"] } }, ERROR_CODES.unknownStatistic, '"wb".stats_totals[0]: unknown statistic "nope"'],
    ["an agent statistic in totals", { wb: { stats_totals: ["login_id"] } }, ERROR_CODES.unknownStatistic, "not available in stats_totals"],
    ["grids not an array", { wb: { service_grids: {} } }, ERROR_CODES.grid, '"wb".service_grids'],
    ["a grid without id", agentApp({ columns: grid().columns }), ERROR_CODES.grid, '"wb".agent_grids[0].id'],
    ["a grid without columns", agentApp({ id: "g" }), ERROR_CODES.grid, '"wb".agent_grids[0].columns'],
    ["a grid with no columns", agentApp({ id: "g", columns: [] }), ERROR_CODES.grid, "non-empty array"],
    ["a column without id", agentApp({ id: "g", columns: [{ stat_name: "login_id" }] }), ERROR_CODES.column, "columns[0].id"],
    ["a column without stat name", agentApp({ id: "g", columns: [{ id: "x" }] }), ERROR_CODES.column, "has no stat_name"],
    ["an unknown column statistic", agentApp({ id: "g", columns: [{ id: "x", stat_name: "bogus" }] }), ERROR_CODES.unknownStatistic, '"bogus"'],
    ["a service statistic in an agent grid", agentApp({ id: "g", columns: [{ id: "x", stat_name: "in_calls_waiting" }] }), ERROR_CODES.unknownStatistic, "not available in agent grids"],
    ["SUM without sum_stat_names", agentApp({ id: "g", columns: [{ id: "x", stat_name: "SUM" }] }), ERROR_CODES.sum, "SUM needs"],
    ["SUM of an unknown statistic", agentApp({ id: "g", columns: [{ id: "x", stat_name: "SUM", sum_stat_names: ["zzz"] }] }), ERROR_CODES.unknownStatistic, "sum_stat_names[0]"],
    ["SUM of text", agentApp({ id: "g", columns: [{ id: "x", stat_name: "SUM", sum_stat_names: ["login_id"] }] }), ERROR_CODES.sum, "cannot be summed"],
    ["order_by naming no column", agentApp(grid({ order_by: "nope" })), ERROR_CODES.order, "order_by: names no column"],
    ["a bad order_dir", agentApp(grid({ order_by: "login", order_dir: "UP" })), ERROR_CODES.order, 'not "UP"'],
    ["order entries naming no column", agentApp(grid({ order: [{ by: "nope", dir: "ASC" }] })), ERROR_CODES.order, "order[0].by"],
    ["filter_by naming no column", agentApp(grid({ filter_by: "nope", filter_value: "1" })), ERROR_CODES.filter, "filter_by"],
    ["a bad filter_operation", agentApp(grid({ filter_by: "login", filter_value: "", filter_operation: "LIKE" })), ERROR_CODES.filter, "filter_operation"],
    ["a non-numeric limit", agentApp(grid({ limit: "ten" })), ERROR_CODES.limit, '"wb".agent_grids[0].limit'],
    ["a negative limit", agentApp(grid({ limit: -1 })), ERROR_CODES.limit, "non-negative integer"],
    ["a bad logged_in_agents_only", agentApp(grid({ logged_in_agents_only: "yes" })), ERROR_CODES.grid, "logged_in_agents_only"],
    ["team_ids not strings", agentApp(grid({ team_ids: [1] })), ERROR_CODES.grid, "team_ids"],
    ["duplicate grid ids", { wb: { agent_grids: [grid(), grid()] } }, ERROR_CODES.grid, "duplicate grid id"],
    ["chat_messages not an object", { wb: { chat_messages: [] } }, ERROR_CODES.chat, "chat_messages"],
    ["a bad chat limit", { wb: { chat_messages: { limit: "x" } } }, ERROR_CODES.limit, "chat_messages.limit"],
  ])("%s", (_what, body, code, message) => {
    const error = rejection(body);
    expect(error.errorCode).toBe(code);
    expect(error.message).toContain(message);
  });
});

describe("parseSubscriptionRequest accepts what real clients send", () => {
  it("takes statName as well as stat_name, numeric ids, and limit as a string or a number", () => {
    const [app] = parseSubscriptionRequest({
      wb: { agent_grids: [{ id: 7, columns: [{ id: 1, statName: "login_id" }, { id: "h", stat_name: "acd_state" }], limit: "25" }] },
    });
    expect(app?.agentGrids?.[0]).toMatchObject({ id: "7", limit: 25, columns: [{ id: "1", stat: "login_id" }, { id: "h", stat: "acd_state" }] });
    expect(parseSubscriptionRequest(agentApp(grid({ limit: 3 })))[0]?.agentGrids?.[0]?.limit).toBe(3);
  });

  it("combines order_by/order_dir and order: [{by, dir}] into sort keys, case-insensitively", () => {
    const plan = parseSubscriptionRequest(agentApp(grid({ order_by: "handled", order_dir: "desc", order: [{ by: "login", dir: "ASC" }] })));
    expect(plan[0]?.agentGrids?.[0]?.order).toEqual([{ column: 1, desc: true }, { column: 0, desc: false }]);
  });

  it.each([[true, true], ["true", true], [false, false], ["false", false], [undefined, false]])(
    "reads logged_in_agents_only %j as %j",
    (value, expected) => {
      expect(parseSubscriptionRequest(agentApp(grid({ logged_in_agents_only: value })))[0]?.agentGrids?.[0]?.loggedInOnly).toBe(expected);
    },
  );

  it("defaults the filter operation to EQ and passes unknown grid keys through", () => {
    const g = parseSubscriptionRequest(agentApp(grid({ filter_by: "login", filter_value: "jsmith", my_subteam_only: false })))[0]?.agentGrids?.[0];
    expect(g?.filter).toEqual({ column: 0, value: "jsmith", operation: "EQ" });
  });

  it("keeps several apps, in order, each with only the sections it asked for", () => {
    const plan = parseSubscriptionRequest({ a: { stats_totals: ["agents_ready"] }, b: { chat_messages: { filter: "x", limit: "2" } } });
    expect(plan.map((p) => p.id)).toEqual(["a", "b"]);
    expect(plan[0]).toMatchObject({ totals: ["agents_ready"], serviceGrids: null, agentGrids: null, chat: null });
    expect(plan[1]).toMatchObject({ totals: null, chat: { filter: "x", limit: 2 } });
  });
});
