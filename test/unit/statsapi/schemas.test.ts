import { describe, expect, it } from "vitest";
import { StatsApiError } from "../../../src/statsapi/errors.js";
import { refreshTime } from "../../../src/statsapi/oauth.js";
import { configObjectList, dispositionsAnswer, parseAnswer, tokenAnswer } from "../../../src/statsapi/schemas.js";

function parseError(run: () => unknown): StatsApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof StatsApiError) return error;
    throw error;
  }
  throw new Error("no error");
}

describe("token answer", () => {
  it.each([
    ['{"access_token":"t","token_type":"Bearer","expires_in":"3600"}', 3600],
    ['{"access_token":"t","expires_in":120}', 120],
    ['{"access_token":"t","expires_in":" 90 ","scope":"x"}', 90],
    ['{"access_token":"t"}', undefined],
  ])("%s → expires_in %s", (text, seconds) => {
    const token = parseAnswer(tokenAnswer, text, "POST /token");
    expect(token.access_token).toBe("t");
    expect(token.expires_in).toBe(seconds);
  });

  it.each([
    ['{"expires_in":"3600"}', /POST \/token: unexpected answer: access_token: /],
    ['{"access_token":""}', /access_token: /],
    ['{"access_token":"t","expires_in":"soon"}', /expires_in: expected a positive number of seconds/],
    ['{"access_token":"t","expires_in":[]}', /expires_in: expected a number of seconds/],
    ['{"access_token":"t","expires_in":"0"}', /expires_in: expected a positive number of seconds/],
    ["[]", /\(top level\): /],
    ["<html>", /answer is not JSON/],
  ])("rejects %s", (text, message) => {
    const error = parseError(() => parseAnswer(tokenAnswer, text, "POST /token"));
    expect(error.code).toBe("BP_MALFORMED");
    expect(error.message).toMatch(message);
  });
});

describe("dispositions and cfg lists", () => {
  it.each([
    ['{"dispositions":["Sale","No answer"]}', ["Sale", "No answer"]],
    ['["Sale","No answer"]', ["Sale", "No answer"]],
    ['{"dispositions":[],"extra":1}', []],
    ["[1,2]", ["1", "2"]],
  ])("dispositions %s", (text, names) => {
    expect(parseAnswer(dispositionsAnswer, text, "GET /d")).toEqual(names);
  });

  it("rejects dispositions that are objects, saying where", () => {
    const error = parseError(() => parseAnswer(dispositionsAnswer, '{"dispositions":[{"name":"x"}]}', "GET /d"));
    expect(error.message).toMatch(/^GET \/d: unexpected answer: /);
  });

  it("keeps id and name only, numbers as strings", () => {
    expect(parseAnswer(configObjectList, '[{"id":12,"name":"Sales","extra":true},{"id":"a-b","name":7}]', "GET /l")).toEqual([
      { id: "12", name: "Sales" },
      { id: "a-b", name: "7" },
    ]);
  });

  it.each([
    ['[{"name":"x"}]', /\[0\]\.id: /],
    ['[{"id":"1","name":null}]', /\[0\]\.name: /],
    ['{"teams":[]}', /\(top level\): /],
  ])("rejects the list %s", (text, message) => {
    expect(parseError(() => parseAnswer(configObjectList, text, "GET /l")).message).toMatch(message);
  });
});

describe("refreshTime", () => {
  it.each([
    // lifetime, refresh after (ms from obtaining)
    [3_600_000, 3_240_000], // 10 % of an hour = 6 min before expiry
    [120_000, 90_000], // at least 30 s before
    [40_000, 20_000], // never later than half the life for short tokens
    [1_000, 500],
  ])("a token living %i ms is replaced after %i ms", (lifetime, after) => {
    expect(refreshTime(1_000_000, lifetime)).toBe(1_000_000 + after);
  });

  it("never refreshes a token without a lifetime", () => {
    expect(refreshTime(5, Infinity)).toBe(Infinity);
  });
});
