// Cross-field checks of the subscription. They read the raw (env-expanded) tree and skip whatever has
// the wrong shape (zod reports that), so they run together with zod and every problem is listed at once.
import type { PathSegment } from "./errors.js";
import { formatPath } from "../document/path.js";
import { isRecord } from "../document/is-record.js";
import { GRID_KINDS, type GridKind, idText, keyColumnOf } from "./grid-kinds.js";
import type { ConfigIssue } from "./types.js";

type Raw = Record<string, unknown>;


function records(v: unknown): [number, Raw][] {
  return Array.isArray(v) ? v.flatMap((item, i): [number, Raw][] => (isRecord(item) ? [[i, item]] : [])) : [];
}


/** Reports each repeated id at its second (and later) occurrence. */
function checkUnique(items: [number, Raw][], field: string, path: PathSegment[], what: string, issues: ConfigIssue[]) {
  const seen = new Map<string, number>();
  for (const [index, item] of items) {
    const id = idText(item[field]);
    if (id === undefined) continue;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, index);
    else issues.push({ path: formatPath([...path, index, field]), message: `duplicate ${what} "${id}" (already used by ${formatPath([...path, first])})` });
  }
}

function checkColumns(columns: [number, Raw][], path: PathSegment[], issues: ConfigIssue[]) {
  for (const [index, col] of columns) {
    const sum = col.sum_stat_names;
    if (col.stat_name === "SUM") {
      if (!Array.isArray(sum) || sum.length === 0) {
        issues.push({ path: formatPath([...path, index, "sum_stat_names"]), message: 'required with stat_name "SUM": the statistics to add up' });
      }
    } else if (sum !== undefined) {
      issues.push({ path: formatPath([...path, index, "sum_stat_names"]), message: 'only allowed with stat_name "SUM"' });
    }
  }
}

function checkGrid(grid: Raw, path: PathSegment[], kind: GridKind, issues: ConfigIssue[]) {
  const columns = records(grid.columns);
  checkColumns(columns, [...path, "columns"], issues);
  checkUnique(columns, "id", [...path, "columns"], "column id", issues);
  const ids = new Set(columns.flatMap(([, c]) => idText(c.id) ?? []));
  const known = [...ids].map((id) => `"${id}"`).join(", ");
  for (const field of ["order_by", "filter_by", "key"]) {
    const ref = idText(grid[field]);
    if (ref !== undefined && !ids.has(ref)) {
      issues.push({ path: formatPath([...path, field]), message: `expected the id of a column of this grid (${known}), got "${ref}"` });
    }
  }
  for (const field of ["filter_value", "filter_operation"]) {
    if (grid[field] !== undefined && grid.filter_by === undefined) {
      issues.push({ path: formatPath([...path, field]), message: "needs filter_by (the column to filter on)" });
    }
  }
  if (Array.isArray(grid.columns) && keyColumnOf(kind, grid) === undefined) {
    issues.push({
      path: formatPath([...path, "key"]),
      message: `no column identifies a row: add a column with stat_name "${GRID_KINDS[kind].keyStatName}" or set key to a column id`,
    });
  }
}

function checkApp(app: Raw, path: PathSegment[], issues: ConfigIssue[]) {
  for (const kind of Object.keys(GRID_KINDS) as GridKind[]) {
    const grids = records(app[kind]);
    checkUnique(grids, "id", [...path, kind], "grid id", issues);
    for (const [index, grid] of grids) checkGrid(grid, [...path, kind, index], kind, issues);
  }
  const requested = ["stats_totals", "service_grids", "agent_grids", "chat_messages"].some((section) => {
    const value = app[section];
    return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
  });
  if (!requested) {
    issues.push({ path: formatPath(path), message: "requests nothing: add stats_totals, service_grids, agent_grids or chat_messages" });
  }
}

/** Checks `subscription` of a mapping (the file, a `tenants:` entry at `prefix`, or a tenants_dir file). */
export function checkSubscription(root: unknown, prefix: PathSegment[] = []): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!isRecord(root) || !isRecord(root.subscription)) return issues;
  const path = [...prefix, "subscription", "apps"];
  const apps = records(root.subscription.apps);
  checkUnique(apps, "app_id", path, "app_id", issues);
  for (const [index, app] of apps) checkApp(app, [...path, index], issues);
  return issues;
}
