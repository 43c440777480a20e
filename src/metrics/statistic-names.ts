// The one rule for statistic names a config asks for that the catalogue does not know (or not in that
// place): a warning, with the closest catalogue name as a suggestion. Used by the plan (a valid config)
// and on the raw document (a config with errors, so that its warnings are shown with the errors).
import { isRecord } from "../document/is-record.js";
import { appendIndex, appendKey } from "../document/path.js";
import type { ConfigIssue } from "../config/types.js";
import { tenantIssuePath } from "../config/tenants.js";
import { KNOWN_STATISTICS, type StatisticScope, knownStatistic } from "./catalogue.js";

/** Edit distance (insertions, deletions, substitutions, swaps of neighbours). */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => rows[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The catalogue name closest to `statName` (case-insensitively), preferring names known in `scope`;
 * undefined when none is close enough to be a likely typo (a third of the name, at least 2 edits).
 */
export function closestStatistic(statName: string, scope?: StatisticScope): string | undefined {
  const wanted = statName.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  let best: { name: string; score: number } | undefined;
  for (const [name, info] of Object.entries(KNOWN_STATISTICS)) {
    if (name === statName) continue;
    // Half an edit of penalty outside the scope: a near name that fits the place wins a tie.
    const score = distance(wanted, name.toLowerCase()) + (scope === undefined || info.scopes.includes(scope) ? 0 : 0.5);
    if (score <= limit && (best === undefined || score < best.score)) best = { name, score };
  }
  return best?.name;
}

function suggestion(statName: string, scope: StatisticScope): string {
  const closest = closestStatistic(statName, scope);
  if (closest === undefined) return "";
  return closest.toLowerCase() === statName.toLowerCase() ? ` (did you mean ${closest}? names are case-sensitive)` : ` (did you mean ${closest}?)`;
}

/** The warning for a statistic name requested at `path` in `scope`, or undefined when the catalogue knows it there. */
export function statisticNameWarning(statName: string, scope: StatisticScope, path: string): ConfigIssue | undefined {
  if (statName === "SUM") return undefined;
  const known = knownStatistic(statName);
  if (known === undefined) {
    return { path, message: `unknown statistic "${statName}"${suggestion(statName, scope)}: passed through as a number, text values counted as invalid (set "type", e.g. "type: label" for text)` };
  }
  if (!known.scopes.includes(scope)) {
    return { path, message: `statistic "${statName}" is not known in ${scope === "totals" ? "stats_totals" : `${scope} grids`}` };
  }
  return undefined;
}

const GRID_SCOPES: readonly (readonly [string, StatisticScope])[] = [
  ["service_grids", "service"],
  ["agent_grids", "agent"],
];

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * The statistic-name warnings of a config document that did not validate (whatever parts of it are readable):
 * its subscription, and each `tenants:` entry's at the entry's path. A tenants_dir file is a document of its own.
 */
export function statisticNameWarnings(document: unknown): ConfigIssue[] {
  const tenants = isRecord(document) ? list(document.tenants) : [];
  const ofTenants = tenants.flatMap((entry, index) => {
    const source = appendIndex("tenants", index);
    return subscriptionNameWarnings(entry).map((warning) => ({ ...warning, path: tenantIssuePath(source, warning.path) }));
  });
  return [...subscriptionNameWarnings(document), ...ofTenants];
}

/** The warnings of a document's top-level `subscription`. */
function subscriptionNameWarnings(document: unknown): ConfigIssue[] {
  const warnings: ConfigIssue[] = [];
  const check = (statName: unknown, scope: StatisticScope, path: string) => {
    if (typeof statName !== "string") return;
    const warning = statisticNameWarning(statName, scope, path);
    if (warning !== undefined) warnings.push(warning);
  };
  const subscription = isRecord(document) ? document.subscription : undefined;
  const apps = isRecord(subscription) ? list(subscription.apps) : [];
  apps.forEach((app, appIndex) => {
    if (!isRecord(app)) return;
    const appPath = appendIndex("subscription.apps", appIndex);
    list(app.stats_totals).forEach((total, index) => {
      check(isRecord(total) ? total.stat_name : total, "totals", appendIndex(appendKey(appPath, "stats_totals"), index));
    });
    for (const [key, scope] of GRID_SCOPES) {
      list(app[key]).forEach((grid, gridIndex) => {
        if (!isRecord(grid)) return;
        const gridPath = appendIndex(appendKey(appPath, key), gridIndex);
        list(grid.columns).forEach((column, index) => {
          if (isRecord(column)) check(column.stat_name, scope, appendIndex(appendKey(gridPath, "columns"), index));
        });
      });
    }
  });
  return warnings;
}
