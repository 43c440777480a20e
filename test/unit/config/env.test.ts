import { describe, expect, it } from "vitest";
import { expandEnv } from "../../../src/config/env.js";
import type { ConfigIssue } from "../../../src/config/types.js";

const env = { HOST: "bp.example.com", EMPTY: "", SECRET: "hunter2", NESTED: "${HOST}" };

function expand(tree: unknown) {
  const issues: ConfigIssue[] = [];
  return { value: expandEnv(tree, env, issues), issues };
}

describe("expandEnv", () => {
  it.each([
    ["https://${HOST}:443", "https://bp.example.com:443"],
    ["${HOST}${HOST}", "bp.example.combp.example.com"],
    ["x${EMPTY}y", "xy"],
    ["$${HOST}", "${HOST}"],
    ["a$${b}c", "a${b}c"],
    ["cost: $5 {a}", "cost: $5 {a}"],
    ["plain", "plain"],
    ["${NESTED}", "${HOST}"], // values are not expanded again
    // ${VAR:-default}: the default when VAR is unset or empty, as in the shell and Compose
    ["${UNSET:-demo-secret}", "demo-secret"],
    ["${EMPTY:-fallback}", "fallback"],
    ["${HOST:-fallback}", "bp.example.com"],
    ["${UNSET:-}", ""],
    ["${UNSET:-a b:c-d}/x", "a b:c-d/x"],
    ["${UNSET:-$${HOST}}", "${HOST}"], // a default is not expanded either
  ])("%j → %j", (input, output) => {
    expect(expand(input)).toEqual({ value: output, issues: [] });
  });

  it("expands every string in nested lists and mappings, not keys or other scalars", () => {
    const { value, issues } = expand({ a: ["${HOST}", 1, true, null], "${HOST}": { b: "${SECRET}" } });
    expect(issues).toEqual([]);
    expect(value).toEqual({ a: ["bp.example.com", 1, true, null], "${HOST}": { b: "hunter2" } });
  });

  it("keeps a __proto__ key as a plain key", () => {
    const input = JSON.parse('{"__proto__": {"polluted": "${HOST}"}}') as unknown;
    const value = expand(input).value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["__proto__"]);
  });

  it.each([
    [{ a: [{ b: "${NOPE}" }] }, "a[0].b", "environment variable NOPE is not set"],
    [{ a: "${HOST" }, "a", 'unterminated "${"'],
    [{ a: "${1X}" }, "a", 'invalid variable reference "${1X}"'],
    [{ a: "${}" }, "a", "invalid variable reference"],
    [{ a: "${X-y}" }, "a", "${NAME:-default}"],
  ])("%j → issue at %s", (input, path, fragment) => {
    const { issues } = expand(input);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe(path);
    expect(issues[0]?.message).toContain(fragment);
  });

  it("leaves nothing of a reference in error (the text around it stays), so no half-expanded value is read further", () => {
    expect(expand({ a: "x${NOPE}y", b: "x${1X}y", c: "x${HOST" }).value).toEqual({ a: "xy", b: "xy", c: "x" });
  });

  it("reports every undefined variable without printing any defined value", () => {
    const { issues } = expand({ a: "${SECRET}:${ONE}", b: "${TWO}" });
    expect(issues.map((i) => i.message)).toEqual(["environment variable ONE is not set", "environment variable TWO is not set"]);
    expect(JSON.stringify(issues)).not.toContain("hunter2");
  });
});
