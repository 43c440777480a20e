// zod issues → ConfigIssues with plain-language messages.
import type { z } from "zod";
import { formatPath } from "../document/path.js";
import type { ConfigIssue } from "./types.js";

const EXPECTED_NAMES: Record<string, string> = { object: "a mapping", array: "a list", int: "a whole number" };

export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `a ${typeof value}`;
}

/** Plain-language messages for zod's built-in issues. Never echoes the input (it may be a secret). */
export function issueMessage(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case "invalid_type": {
      const expected = EXPECTED_NAMES[iss.expected] ?? `a ${iss.expected}`;
      return iss.input === undefined ? `required: expected ${expected}` : `expected ${expected}, got ${describeType(iss.input)}`;
    }
    case "invalid_value":
      return `expected one of ${iss.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_union": {
      // A discriminated union (auth.method) lists its options.
      const options = (iss as { options?: unknown[] }).options;
      return options ? `expected one of ${options.map((v) => JSON.stringify(v)).join(", ")}` : undefined;
    }
    case "too_small":
      if (iss.origin === "string") return "must not be empty";
      if (iss.origin === "array") return `expected at least ${String(iss.minimum)} item(s)`;
      return `must be >= ${String(iss.minimum)}`;
    default:
      return undefined;
  }
}

/** zod reports all unknown keys of an object in one issue; the user wants one line per key, at its path. */
export function toConfigIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  return issues.flatMap((iss): ConfigIssue[] =>
    iss.code === "unrecognized_keys"
      ? iss.keys.map((key) => ({ path: formatPath([...iss.path, key]), message: "unknown key" }))
      : [{ path: formatPath(iss.path), message: iss.message }],
  );
}
