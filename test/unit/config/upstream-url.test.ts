import { describe, expect, it } from "vitest";
import { checkUpstreamUrl } from "../../../src/config/upstream-url.js";
import { describeType } from "../../../src/config/zod-issues.js";

const EXPECTED = "expected scheme://host[:port] with scheme http or https";

describe("checkUpstreamUrl", () => {
  it.each([
    ["https://bp.example.com", "https://bp.example.com"],
    ["https://bp.example.com/", "https://bp.example.com"],
    ["HTTP://BP.example.com:8080", "http://bp.example.com:8080"],
  ])("%s → origin %s", (text, origin) => {
    expect(checkUpstreamUrl(text)).toEqual({ origin });
  });

  it.each([
    ["bp.example.com", `${EXPECTED}, got no scheme (like https://bp.example.com)`],
    [" https://bp.example.com", `${EXPECTED}, got no scheme (like https://bp.example.com)`],
    ["x https://bp.example.com", `${EXPECTED}, got no scheme (like https://bp.example.com)`],
    ["https://", `${EXPECTED}, got an invalid URL`],
    ["https://exa mple.com", `${EXPECTED}, got an invalid URL`],
    ["ftp://bp.example.com", `${EXPECTED}, got scheme "ftp"`],
    ["https://user@bp.example.com", `${EXPECTED}, without credentials (set them under upstream.auth)`],
    ["https://:s3cret@bp.example.com", `${EXPECTED}, without credentials (set them under upstream.auth)`],
    ["https://bp.example.com/api", `${EXPECTED}, without a path, query or fragment (the API paths are added by the exporter)`],
    ["https://bp.example.com?x=1", `${EXPECTED}, without a path, query or fragment (the API paths are added by the exporter)`],
    ["https://bp.example.com/#top", `${EXPECTED}, without a path, query or fragment (the API paths are added by the exporter)`],
    ["https://bp.example.com/?", `${EXPECTED}, without a path, query or fragment (the API paths are added by the exporter)`],
  ])("%j → %s (never echoing the input)", (text, message) => {
    expect(checkUpstreamUrl(text)).toEqual({ message });
  });
});

describe("describeType", () => {
  it.each([
    [null, "null"],
    [[1], "a list"],
    [{ a: 1 }, "a mapping"],
    ["x", "a string"],
    [1, "a number"],
    [true, "a boolean"],
  ])("%j is %s", (value, text) => {
    expect(describeType(value)).toBe(text);
  });
});
