import { describe, expect, it } from "vitest";
import { negotiateFormat } from "../../../src/http/negotiation.js";

const PROMETHEUS_2 =
  "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
const PROMETHEUS_TEXT_FIRST = "text/plain;version=0.0.4;q=1,application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.1";

describe("negotiateFormat", () => {
  it.each([
    [PROMETHEUS_2, "openmetrics"],
    ["application/openmetrics-text; version=1.0.0; charset=utf-8", "openmetrics"],
    ["application/openmetrics-text", "openmetrics"],
    ["Application/OpenMetrics-Text;Version=1.0.0, text/plain;q=0.5", "openmetrics"],
    [PROMETHEUS_TEXT_FIRST, "text"],
    [undefined, "text"],
    ["", "text"],
    ["*/*", "text"],
    ["text/plain", "text"],
    ["application/openmetrics-text;version=1.0.0;q=0.5, */*;q=0.5", "text"], // a tie: the default
    ["application/openmetrics-text;version=0.0.1", "text"], // a version we do not write
    ["application/openmetrics-text;version=1.0.0;q=0", "text"],
    ["application/json", "text"],
  ] as const)("%j → %s", (accept, format) => {
    expect(negotiateFormat(accept)).toBe(format);
  });
});
