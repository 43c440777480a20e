import { describe, expect, it } from "vitest";
import { parseDuration } from "../../../src/config/duration.js";

describe("parseDuration", () => {
  it.each([
    ["250ms", 250],
    ["5s", 5_000],
    ["1m30s", 90_000],
    ["2h", 7_200_000],
    ["1h2m3s4ms", 3_723_004],
    ["1.5s", 1_500],
    ["1.25s", 1_250],
    ["1m0.125s", 60_125],
    ["0s", 0],
    [" 3s ", 3_000],
    ["10", 10_000],
    ["0.25", 250],
    ["1.25", 1_250],
    [3, 3_000],
    [0.1, 100],
    [0, 0],
  ])("%j → %i ms", (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([["-1s"], ["5 s"], ["5sec"], ["1d"], ["s"], [""], ["ms"], ["1m30"], ["1e3"], [-1], [Number.NaN], [Number.POSITIVE_INFINITY], [true], [null], [undefined], [["5s"]]])(
    "%j is not a duration",
    (input) => {
      expect(parseDuration(input)).toBeUndefined();
    },
  );
});
