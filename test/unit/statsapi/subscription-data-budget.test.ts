// A data body is refused before it is parsed when it holds more JSON values than the plan's series could
// need: parsing a few MB of `[],` builds millions of objects, enough to exhaust the statistics worker's heap.
import { describe, expect, it } from "vitest";
import { StatsApiError } from "../../../src/statsapi/errors.js";
import { countValueMarks, valueBudget, parseSubscriptionData } from "../../../src/statsapi/subscription-data.js";

const refusal = (run: () => unknown): StatsApiError => {
  try {
    run();
  } catch (error) {
    if (error instanceof StatsApiError) return error;
    throw error;
  }
  throw new Error("not refused");
};

describe("countValueMarks", () => {
  it("counts commas, brackets and braces, strings included, and stops just past the limit", () => {
    expect(countValueMarks('{"a":[1,2,{"b":"x,y"}]}', 100)).toBe(6);
    expect(countValueMarks("[],".repeat(1000), 10)).toBe(11);
    expect(countValueMarks('"no marks"', 0)).toBe(0);
  });
});

describe("parseSubscriptionData: the value budget", () => {
  it("refuses a body of more values than 250k series, or max_series if higher, could need: unparsed, saying so", () => {
    const bomb = `[${"[],".repeat(valueBudget(100))}[]]`;
    const error = refusal(() => parseSubscriptionData(bomb, 100));
    expect(error.code).toBe("BP_MALFORMED");
    expect(error.detail).toBe(`body holds more than ${valueBudget(100)} JSON values, more than 250000 series could need: refused unparsed`);
    expect(refusal(() => parseSubscriptionData(bomb.repeat(2), 300_000)).detail).toMatch(/more than 300000 series could need/);
  });

  it("takes a body right at the budget, and grows the budget with max_series past 250k", () => {
    const withMarks = (marks: number) => `[${"0,".repeat(marks - 1)}0]`; // one bracket, marks - 1 commas
    expect(countValueMarks(withMarks(valueBudget(1)), Infinity)).toBe(valueBudget(1));
    expect(() => parseSubscriptionData(withMarks(valueBudget(1)), 1)).toThrow(/expected an object/);
    expect(() => parseSubscriptionData(withMarks(valueBudget(1) + 1), 1)).toThrow(/refused unparsed/);
    expect(() => parseSubscriptionData(withMarks(valueBudget(1) + 1), 300_000)).toThrow(/expected an object/);
    expect(valueBudget(1)).toBe(valueBudget(250_000));
  });

  it("leaves a body of more series than a low max_series to be rendered and cut, not refused", () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => ({ login_id: `a${i}`, state: "ready", ready: String(i) })); // ~240k values
    const body = JSON.stringify({ app: { agent_grids: [{ id: "agents", values: rows }] } });
    expect(() => parseSubscriptionData(body, 10_000)).not.toThrow();
  });
});
