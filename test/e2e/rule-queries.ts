// The alert expressions of prometheus/alerts.yml, made checkable against live data: each top-level
// comparison gets the `bool` modifier, so `x > 10` returns a 0/1 series for every series of x
// instead of nothing while the contact center is calm. A rule whose metric is missing or misspelt
// still returns nothing, which is what the e2e test catches.
import { readFileSync } from "node:fs";
import { load } from "js-yaml";
import type { DashboardQuery } from "./dashboard-queries.js";

export const ALERTS_FILE = new URL("../../prometheus/alerts.yml", import.meta.url);

const COMPARISONS = ["==", "!=", ">=", "<=", ">", "<"];

/** Adds `bool` after every comparison operator outside (), {}, [] and strings. */
export function withBoolComparisons(expr: string): string {
  let out = "";
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < expr.length; i += 1) {
    const char = expr.charAt(i);
    if (quote) {
      out += char;
      if (char === "\\") out += expr.charAt(++i);
      else if (char === quote) quote = null;
      continue;
    }
    if (char === '"' || char === "'" || char === "`") quote = char;
    else if ("({[".includes(char)) depth += 1;
    else if (")}]".includes(char)) depth -= 1;
    const op = depth === 0 && !quote ? COMPARISONS.find((candidate) => expr.startsWith(candidate, i)) : undefined;
    if (!op) {
      out += char;
      continue;
    }
    out += op;
    i += op.length - 1;
    if (!/^\s*bool\b/.test(expr.slice(i + 1))) out += " bool";
  }
  return out;
}

export function alertQueries(file: URL = ALERTS_FILE): DashboardQuery[] {
  const doc = load(readFileSync(file, "utf8")) as { groups: { rules: { alert?: string; record?: string; expr: string }[] }[] };
  return doc.groups.flatMap((group) =>
    group.rules.map((rule) => ({
      where: `alert rule "${rule.alert ?? rule.record}"`,
      expr: rule.expr,
      promql: withBoolComparisons(rule.expr),
    })),
  );
}
