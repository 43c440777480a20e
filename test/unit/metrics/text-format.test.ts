import { describe, expect, it } from "vitest";
import { ELLIPSIS, escapeHelp, escapeLabelValue, formatValue, truncate } from "../../../src/metrics/text-format.js";

describe("escapeLabelValue", () => {
  it.each([
    ['"', '\\"'],
    ["\\", "\\\\"],
    ["\n", "\\n"],
    ['""', '\\"\\"'],
    ['\\"\n', '\\\\\\"\\n'],
    ['say "hi"', 'say \\"hi\\"'],
    ["plain", "plain"],
    ["", ""],
  ])("%j goes out as %j", (value, escaped) => {
    expect(escapeLabelValue(value, 100)).toBe(escaped);
  });

  it("replaces lone surrogates (even one alone) and keeps pairs", () => {
    expect(escapeLabelValue("\uD800", 100)).toBe("\uFFFD");
    expect(escapeLabelValue("\uDC00", 100)).toBe("\uFFFD");
    expect(escapeLabelValue("\uDC00\uD800", 100)).toBe("\uFFFD\uFFFD");
    expect(escapeLabelValue("\u{10000}", 100)).toBe("\u{10000}");
    expect(escapeLabelValue("a\uD800b", 100)).toBe("a\uFFFDb");
  });

  it("truncates first, then escapes (the limit counts code points of the value, not of its escapes)", () => {
    expect(escapeLabelValue('"'.repeat(5), 3)).toBe(`\\"\\"${ELLIPSIS}`);
    expect(escapeLabelValue("abcd", 3)).toBe(`ab${ELLIPSIS}`);
    expect(escapeLabelValue("abc", 3)).toBe("abc");
  });
});

describe("truncate (code points)", () => {
  it.each([
    ["abc", 3, "abc"],
    ["abcd", 3, `ab${ELLIPSIS}`],
    // U+10000 is the first code point outside the BMP: two UTF-16 units, one code point
    ["\u{10000}\u{10000}\u{10000}", 3, "\u{10000}\u{10000}\u{10000}"],
    ["\u{10000}\u{10000}\u{10000}\u{10000}", 3, `\u{10000}\u{10000}${ELLIPSIS}`],
    ["\u{10000}".repeat(2), 2, "\u{10000}".repeat(2)],
    ["a\u{10000}bc", 3, `a\u{10000}${ELLIPSIS}`],
    ["\uFFFF\uFFFF\uFFFF\uFFFF", 3, `\uFFFF\uFFFF${ELLIPSIS}`],
    ["\u{10FFFF}\u{10FFFF}", 1, ELLIPSIS],
    // a high surrogate before a unit that is not a low surrogate counts alone
    ["\uD800a\uD800b", 3, `\uD800a${ELLIPSIS}`],
    ["\uDBFF\uDC00xyz", 2, `\u{10FC00}${ELLIPSIS}`],
    ["\uDBFF\uE000xyz", 2, `\uDBFF${ELLIPSIS}`],
    ["\uDC00\uDC00xy", 2, `\uDC00${ELLIPSIS}`],
    // a low surrogate after a unit that is not a high surrogate counts alone
    ["a\uDC00bc", 2, `a${ELLIPSIS}`],
    ["\uD800\uDFFFxy", 2, `\u{103FF}${ELLIPSIS}`],
    ["\uD7FF\uDC00xy", 2, `\uD7FF${ELLIPSIS}`],
  ])("%j to %i → %j", (value, max, expected) => {
    expect(truncate(value, max)).toBe(expected);
  });
});

describe("escapeHelp", () => {
  it("escapes backslashes and every newline, nothing else", () => {
    expect(escapeHelp('first\nsecond\nthird \\ "quoted"')).toBe('first\\nsecond\\nthird \\\\ "quoted"');
    expect(escapeHelp("\\\\")).toBe("\\\\\\\\");
  });
});

describe("formatValue", () => {
  it.each([
    [42, "42"],
    [0.25, "0.25"],
    [-3, "-3"],
    [1e21, "1e+21"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "+Inf"],
    [Number.NEGATIVE_INFINITY, "-Inf"],
  ])("%d → %s", (value, text) => {
    expect(formatValue(value)).toBe(text);
  });
});
