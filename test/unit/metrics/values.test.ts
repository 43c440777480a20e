import { describe, expect, it } from "vitest";
import type { StatValue } from "../../../src/statsapi/types.js";
import {
  INVALID,
  type Parsed,
  parseBoolean,
  parseDuration,
  parseNumber,
  parsePercent,
  parseState,
  parseTimestamp,
} from "../../../src/metrics/values.js";

type Case = [StatValue | undefined, Parsed];

describe("parseNumber", () => {
  it.each<Case>([
    ["12", 12],
    ["12.5", 12.5],
    [" 7 ", 7],
    ["-3", -3],
    ["1e3", 1000],
    ["1e+5", 100000],
    ["2.5E-1", 0.25],
    ["1e10", 1e10],
    ["-.25", -0.25],
    [".5", 0.5],
    [12, 12],
    [0, 0],
    ["0", 0],
    ["", undefined],
    ["  ", undefined],
    [null, undefined],
    [undefined, undefined],
    ["abc", INVALID],
    ["12abc", INVALID],
    ["0x10", INVALID],
    ["Infinity", INVALID],
    ["1e309", INVALID], // only finite numbers: Number("1e309") is Infinity
    ["-1e309", INVALID],
    [Number.POSITIVE_INFINITY, INVALID], // JSON.parse("1e309") is Infinity too
    [Number.NaN, INVALID],
    ["1,5", INVALID],
    [true, INVALID],
  ])("%j → %s", (input, expected) => {
    expect(parseNumber(input)).toBe(expected);
  });
});

describe("parseDuration (seconds)", () => {
  it.each<Case>([
    ["42", 42],
    [42, 42],
    ["01:02:03", 3723],
    ["1:02:03", 3723],
    ["100:00:00", 360000],
    ["02:03", 123],
    ["0:05", 5],
    ["1:02:3", 3723],
    [" 01:02 ", 62],
    ["", undefined],
    [null, undefined],
    ["1:60", INVALID],
    ["1:2:3:4", INVALID],
    ["1e309", INVALID],
    ["a:b", INVALID],
    ["5 min", INVALID],
  ])("%j → %s", (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });
});

describe("parsePercent (ratio 0..1)", () => {
  it.each<[StatValue | undefined, 1 | 100, Parsed]>([
    ["85", 100, 0.85],
    ["0.85", 1, 0.85],
    ["100", 100, 1],
    ["1", 1, 1],
    [50, 100, 0.5],
    ["85%", 1, 0.85],
    ["85 %", 100, 0.85],
    ["12.5%", 100, 0.125],
    ["", 100, undefined],
    [null, 1, undefined],
    ["%", 100, INVALID],
    ["high", 100, INVALID],
    ["85%%", 100, INVALID],
    ["50%x", 100, INVALID],
    [" 85% ", 100, 0.85],
    ["x50%", 100, INVALID],
    // Exact decimals: the ratio is the decimal that was sent, not the float noise of a division.
    ["80.1", 100, 0.801],
    ["80.1%", 1, 0.801],
    ["0.7", 100, 0.007],
    ["33.3", 100, 0.333],
    [80.1, 100, 0.801],
    ["1e309", 100, INVALID],
    ["1e309%", 1, INVALID],
  ])("%j at scale %d → %s", (input, scale, expected) => {
    expect(parsePercent(input, scale)).toBe(expected);
  });
});

describe("parseTimestamp (Unix seconds)", () => {
  const t = Date.UTC(2024, 2, 5, 14, 30, 15) / 1000; // 2024-03-05T14:30:15Z
  it.each<Case>([
    ["2024-03-05T14:30:15Z", t],
    ["2024-03-05T14:30:15.250Z", t + 0.25],
    ["2024-03-05T14:30:15", t], // no zone: the API speaks UTC
    ["2024-03-05 14:30:15", t],
    ["2024-03-05T16:30:15+02:00", t],
    ["2024-03-05T16:30:15+0200", t],
    ["2024-03-05", Date.UTC(2024, 2, 5) / 1000],
    [String(t), t],
    [t, t],
    [String(t * 1000), t],
    [t * 1000, t],
    ["", undefined],
    [null, undefined],
    ["yesterday", INVALID],
    ["2024-13-45T99:99:99Z", INVALID],
    ["05/03/2024", INVALID],
    ["12-05", INVALID],
    [" 2024-03-05T14:30:15Z ", t],
    [1e11, 1e8], // from 1e11 on: milliseconds
    [99_999_999_999, 99_999_999_999],
    ["2024-03-05T14:30", t - 15], // no zone, no seconds: still UTC
  ])("%j → %s", (input, expected) => {
    expect(parseTimestamp(input)).toBe(expected);
  });
});

describe("parseBoolean (is_urgent)", () => {
  it.each<Case>([
    ["1", 1],
    ["0", 0],
    [true, 1],
    [false, 0],
    [1, 1],
    [0, 0],
    ["true", 1],
    ["FALSE", 0],
    [" true ", 1],
    ["", undefined],
    [null, undefined],
    ["yes", INVALID],
    [2, INVALID],
  ])("%j → %s", (input, expected) => {
    expect(parseBoolean(input)).toBe(expected);
  });
});

describe("parseState", () => {
  it.each<[StatValue | undefined, string]>([
    ["ready", "ready"],
    ["Not_Ready", "not_ready"],
    ["Not Ready", "not_ready"],
    ["after-call-work", "after_call_work"],
    ["Not  Ready", "not_ready"],
    ["after - call", "after_call"],
    [" busy ", "busy"],
    ["", "logged_out"],
    [null, "logged_out"],
    [undefined, "logged_out"],
    ["supervising", "supervising"],
  ])("%j → %s", (input, expected) => {
    expect(parseState(input)).toBe(expected);
  });
});
