// The two kinds of grid, and the statistic whose column names a row when a grid sets no `key`.
// One table for the schema (which fills in the key), the cross-checks (which report a missing one) and
// the metric plan (which labels rows with it).
import { isRecord } from "../document/is-record.js";

export type GridKind = "service_grids" | "agent_grids";

export const GRID_KINDS: Readonly<Record<GridKind, { scope: "service" | "agent"; keyStatName: string }>> = {
  service_grids: { scope: "service", keyStatName: "name" },
  agent_grids: { scope: "agent", keyStatName: "login_id" },
};

/** The id of the column that names a grid's rows: `key` when set, else the first column of the kind's key statistic. */
export function keyColumnOf(kind: GridKind, grid: { key?: unknown; columns?: unknown }): string | undefined {
  if (grid.key !== undefined) return idText(grid.key);
  if (!Array.isArray(grid.columns)) return undefined;
  const keyStatName = GRID_KINDS[kind].keyStatName;
  const column: unknown = grid.columns.find((c: unknown) => isRecord(c) && c.stat_name === keyStatName);
  return isRecord(column) ? idText(column.id) : undefined;
}

/** Ids as the schema reads them: strings, or numbers taken as text. */
export function idText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return typeof value === "number" ? String(value) : undefined;
}
