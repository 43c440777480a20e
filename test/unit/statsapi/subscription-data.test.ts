import { describe, expect, it } from "vitest";
import { StatsApiError } from "../../../src/statsapi/errors.js";
import { parseSubscriptionData } from "../../../src/statsapi/subscription-data.js";

function failure(text: string): StatsApiError {
  try {
    parseSubscriptionData(text);
  } catch (error) {
    if (error instanceof StatsApiError) return error;
    throw error;
  }
  throw new Error(`parsed without error: ${text}`);
}

describe("parseSubscriptionData: accepted shapes", () => {
  it("keeps totals, grids and chat as sent, values of every scalar kind", () => {
    const data = parseSubscriptionData(
      JSON.stringify({
        wallboard: {
          stats_totals: { agents_ready: "2", in_calls_waiting: 3, service_level: "", flag: true, nothing: null },
          service_grids: [{ id: "services", values: [{ name: "Sales", waiting: "1" }] }],
          agent_grids: [{ id: "agents", values: [{ login: "jdoe", state: "ready" }, { login: "ann", state: "" }] }],
          chat_messages: [
            { id: "7", login_id: "jdoe", first_name: "J", last_name: "D", send_time: "2024-01-01T00:00:00Z", is_urgent: "1", content: "hi" },
          ],
          extra_section: { ignored: [1, 2] },
        },
      }),
    );
    expect(data.wallboard?.stats_totals).toEqual({ agents_ready: "2", in_calls_waiting: 3, service_level: "", flag: true, nothing: null });
    expect(data.wallboard?.service_grids).toEqual([{ id: "services", values: [{ name: "Sales", waiting: "1" }] }]);
    expect(data.wallboard?.agent_grids?.[0]?.values).toHaveLength(2);
    expect(data.wallboard?.chat_messages?.[0]?.content).toBe("hi");
  });

  it.each([
    ["an empty object (no apps)", "{}", {}],
    ["an app with no sections", '{"a":{}}', { a: {} }],
    ["null sections as absent", '{"a":{"stats_totals":null,"agent_grids":null}}', { a: {} }],
    ["a numeric grid id as a string", '{"a":{"agent_grids":[{"id":1,"values":[]}]}}', { a: { agent_grids: [{ id: "1", values: [] }] } }],
    ["a grid without values as empty", '{"a":{"service_grids":[{"id":"g"}]}}', { a: { service_grids: [{ id: "g", values: [] }] } }],
    [
      "chat fields filled and stringified",
      '{"a":{"chat_messages":[{"id":5,"send_time":1700000000,"is_urgent":true,"content":null}]}}',
      {
        a: {
          chat_messages: [
            { id: "5", login_id: "", first_name: "", last_name: "", send_time: 1700000000, is_urgent: true, content: "" },
          ],
        },
      },
    ],
    [
      "a chat message without id, send_time or is_urgent: empty text, no time, not urgent",
      '{"a":{"chat_messages":[{"content":"hi","login_id":7,"first_name":false}]}}',
      {
        a: {
          chat_messages: [{ id: "", login_id: "7", first_name: "false", last_name: "", send_time: "", is_urgent: "0", content: "hi" }],
        },
      },
    ],
    [
      "a chat message with null send_time and is_urgent, kept values otherwise",
      '{"a":{"chat_messages":[{"id":"x","send_time":null,"is_urgent":null},{"id":"y","send_time":"2024-01-01T00:00:00Z","is_urgent":0}]}}',
      {
        a: {
          chat_messages: [
            { id: "x", login_id: "", first_name: "", last_name: "", send_time: "", is_urgent: "0", content: "" },
            { id: "y", login_id: "", first_name: "", last_name: "", send_time: "2024-01-01T00:00:00Z", is_urgent: 0, content: "" },
          ],
        },
      },
    ],
    ["null service grids and chat as absent", '{"a":{"service_grids":null,"chat_messages":null,"stats_totals":{}}}', { a: { stats_totals: {} } }],
    ["a grid with null values as empty", '{"a":{"agent_grids":[{"id":"g","values":null}]}}', { a: { agent_grids: [{ id: "g", values: [] }] } }],
    ["an odd app id", '{"my app":{"stats_totals":{"x":"1"}}}', { "my app": { stats_totals: { x: "1" } } }],
  ])("accepts %s", (_name, text, expected) => {
    expect(parseSubscriptionData(text)).toEqual(expected);
  });
});

describe("parseSubscriptionData: errors say where", () => {
  it.each([
    ["not JSON", "{", /body is not JSON/],
    ["an empty body", "", /body is not JSON/],
    ["a top-level array", "[]", /^GET \/statsapi\/subscription\/data: \(top level\): expected an object keyed by app id, got an array$/],
    ["a top-level string", '"x"', /\(top level\): expected an object keyed by app id, got a string/],
    ["an app that is a number", '{"wallboard":5}', /^GET \/statsapi\/subscription\/data: wallboard: expected an object, got a number$/],
    ["an app that is null", '{"w":null}', /: w: expected an object, got null$/],
    ["a chat message that is null", '{"w":{"chat_messages":[{},null]}}', /: w\.chat_messages\[1\]: expected an object, got null$/],
    ["a chat message that is a string", '{"w":{"chat_messages":["hi"]}}', /: w\.chat_messages\[0\]: expected an object, got a string$/],
    ["totals as an array", '{"w":{"stats_totals":[]}}', /w\.stats_totals: expected an object, got an array/],
    ["a total that is an object", '{"w":{"stats_totals":{"x":{}}}}', /w\.stats_totals\.x: expected a string, number, boolean or null, got an object/],
    ["grids as an object", '{"w":{"agent_grids":{}}}', /w\.agent_grids: expected an array of grids, got an object/],
    ["a grid that is a string", '{"w":{"service_grids":["g"]}}', /w\.service_grids\[0\]: expected an object, got a string/],
    ["a grid without id", '{"w":{"service_grids":[{"values":[]}]}}', /w\.service_grids\[0\]\.id: expected a string, got nothing/],
    ["values as an object", '{"w":{"agent_grids":[{"id":"a","values":{}}]}}', /w\.agent_grids\[0\]\.values: expected an array of rows, got an object/],
    [
      "a row that is a string",
      '{"wallboard":{"agent_grids":[{"id":"a","values":[{},{},{},"x"]}]}}',
      /wallboard\.agent_grids\[0\]\.values\[3\]: expected an object, got a string/,
    ],
    [
      "a cell that is an array",
      '{"w":{"agent_grids":[{"id":"a","values":[{"ok":"1"},{"bad key":[1]}]}]}}',
      /w\.agent_grids\[0\]\.values\[1\]\["bad key"\]: expected a string, number, boolean or null, got an array/,
    ],
    ["chat as an object", '{"w":{"chat_messages":{}}}', /w\.chat_messages: expected an array of messages/],
    ["a chat message content object", '{"w":{"chat_messages":[{"content":{}}]}}', /w\.chat_messages\[0\]\.content: expected a string/],
    ["a chat send_time array", '{"w":{"chat_messages":[{"send_time":[]}]}}', /w\.chat_messages\[0\]\.send_time: expected a timestamp/],
    ["a chat is_urgent object", '{"w":{"chat_messages":[{"is_urgent":{}}]}}', /w\.chat_messages\[0\]\.is_urgent: expected "1" or "0"/],
  ])("rejects %s", (_name, text, message) => {
    const error = failure(text);
    expect(error.code).toBe("BP_MALFORMED");
    expect(error.reason).toBe("malformed_response");
    expect(error.message).toMatch(message);
  });
});
