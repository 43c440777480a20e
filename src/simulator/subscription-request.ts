// Validates a subscription body the way a picky server would and turns it into a plan the grids can run.
// Every rejection is a SubscriptionRequestError: 400 {"error_code", "error_message"} naming the place at fault.
import { STATISTICS, isNumericStatistic, type StatScope } from "./statistics.js";

/** The simulator's error codes (the real server's numbering is not documented). */
export const ERROR_CODES = {
  body: 1001,
  app: 1002,
  grid: 1003,
  column: 1004,
  unknownStatistic: 1005,
  sum: 1006,
  order: 1007,
  filter: 1008,
  limit: 1009,
  chat: 1010,
} as const;

export class SubscriptionRequestError extends Error {
  override readonly name = "SubscriptionRequestError";
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

export type FilterOperation = "EQ" | "NE" | "LT" | "GT" | "LE" | "GE";
const FILTER_OPERATIONS = new Set<string>(["EQ", "NE", "LT", "GT", "LE", "GE"]);

export interface ColumnPlan {
  id: string;
  stat: string;
  /** For SUM: the statistics added up. */
  sum: string[] | null;
  /** Disposition names for calls_dispositions_per_day; null = all. */
  dispositions: string[] | null;
}

export interface GridPlan {
  id: string;
  columns: ColumnPlan[];
  order: { column: number; desc: boolean }[];
  limit: number | null;
  filter: { column: number; value: string; operation: FilterOperation } | null;
  serviceIds: string[] | null;
  teamIds: string[] | null;
  loggedInOnly: boolean;
}

export interface AppPlan {
  id: string;
  totals: string[] | null;
  totalsServiceIds: string[] | null;
  totalsDispositions: string[] | null;
  serviceGrids: GridPlan[] | null;
  agentGrids: GridPlan[] | null;
  chat: { filter: string; limit: number | null } | null;
}

export type SubscriptionPlan = AppPlan[];

const fail = (code: number, where: string, message: string): never => {
  throw new SubscriptionRequestError(code, `${where}: ${message}`);
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function parseSubscriptionRequest(body: unknown): SubscriptionPlan {
  if (!isObject(body)) fail(ERROR_CODES.body, "body", "must be a JSON object keyed by app ids");
  const entries = Object.entries(body as Record<string, unknown>);
  if (entries.length === 0) fail(ERROR_CODES.body, "body", "names no app id");
  return entries.map(([id, app]) => parseApp(id, app));
}

function parseApp(id: string, app: unknown): AppPlan {
  const where = JSON.stringify(id);
  if (!isObject(app)) return fail(ERROR_CODES.app, where, "app must be an object");
  const totals = optionalStrings(app.stats_totals, `${where}.stats_totals`, ERROR_CODES.app);
  totals?.forEach((stat, i) => checkStatistic(stat, "service", `${where}.stats_totals[${i}]`, true));
  return {
    id,
    totals,
    totalsServiceIds: optionalStrings(app.stats_totals_service_ids, `${where}.stats_totals_service_ids`, ERROR_CODES.app),
    totalsDispositions: optionalStrings(app.stats_totals_dispositions, `${where}.stats_totals_dispositions`, ERROR_CODES.app),
    serviceGrids: parseGrids(app.service_grids, `${where}.service_grids`, "service"),
    agentGrids: parseGrids(app.agent_grids, `${where}.agent_grids`, "agent"),
    chat: app.chat_messages === undefined ? null : parseChat(app.chat_messages, `${where}.chat_messages`),
  };
}

function parseChat(value: unknown, where: string): AppPlan["chat"] {
  if (!isObject(value)) return fail(ERROR_CODES.chat, where, "must be an object {filter, limit}");
  if (value.filter !== undefined && typeof value.filter !== "string") fail(ERROR_CODES.chat, `${where}.filter`, "must be a string");
  return { filter: (value.filter as string | undefined) ?? "", limit: parseLimit(value.limit, `${where}.limit`) };
}

function parseGrids(value: unknown, where: string, scope: StatScope): GridPlan[] | null {
  if (value === undefined) return null;
  if (!Array.isArray(value)) return fail(ERROR_CODES.grid, where, "must be an array of grids");
  const ids = new Set<string>();
  return value.map((grid, i) => {
    const plan = parseGrid(grid, `${where}[${i}]`, scope);
    if (ids.has(plan.id)) fail(ERROR_CODES.grid, `${where}[${i}].id`, `duplicate grid id ${JSON.stringify(plan.id)}`);
    ids.add(plan.id);
    return plan;
  });
}

function parseGrid(grid: unknown, where: string, scope: StatScope): GridPlan {
  if (!isObject(grid)) return fail(ERROR_CODES.grid, where, "grid must be an object");
  const id = idOf(grid.id, `${where}.id`, ERROR_CODES.grid);
  if (!Array.isArray(grid.columns) || grid.columns.length === 0) {
    return fail(ERROR_CODES.grid, `${where}.columns`, "must be a non-empty array of columns");
  }
  const columns = grid.columns.map((column, i) => parseColumn(column, `${where}.columns[${i}]`, scope));
  const columnIndex = (ref: unknown, at: string, code: number): number => {
    const index = columns.findIndex((c) => c.id === String(ref));
    if ((typeof ref !== "string" && typeof ref !== "number") || index < 0) {
      fail(code, at, `names no column of this grid (${JSON.stringify(ref)})`);
    }
    return index;
  };
  const order: GridPlan["order"] = [];
  if (grid.order_by !== undefined) {
    order.push({ column: columnIndex(grid.order_by, `${where}.order_by`, ERROR_CODES.order), desc: parseDir(grid.order_dir, `${where}.order_dir`) });
  } else if (grid.order_dir !== undefined) {
    parseDir(grid.order_dir, `${where}.order_dir`);
  }
  if (grid.order !== undefined) {
    if (!Array.isArray(grid.order)) fail(ERROR_CODES.order, `${where}.order`, "must be an array of {by, dir}");
    (grid.order as unknown[]).forEach((entry, i) => {
      const at = `${where}.order[${i}]`;
      if (!isObject(entry)) return fail(ERROR_CODES.order, at, "must be an object {by, dir}");
      order.push({ column: columnIndex(entry.by, `${at}.by`, ERROR_CODES.order), desc: parseDir(entry.dir, `${at}.dir`) });
    });
  }
  return {
    id,
    columns,
    order,
    limit: parseLimit(grid.limit, `${where}.limit`),
    filter: grid.filter_by === undefined ? null : {
      column: columnIndex(grid.filter_by, `${where}.filter_by`, ERROR_CODES.filter),
      value: parseFilterValue(grid.filter_value, `${where}.filter_value`),
      operation: parseOperation(grid.filter_operation, `${where}.filter_operation`),
    },
    serviceIds: optionalStrings(grid.service_ids, `${where}.service_ids`, ERROR_CODES.grid),
    teamIds: scope === "agent" ? optionalStrings(grid.team_ids, `${where}.team_ids`, ERROR_CODES.grid) : null,
    loggedInOnly: scope === "agent" && parseFlag(grid.logged_in_agents_only, `${where}.logged_in_agents_only`),
  };
}

function parseColumn(column: unknown, where: string, scope: StatScope): ColumnPlan {
  if (!isObject(column)) return fail(ERROR_CODES.column, where, "column must be an object");
  const id = idOf(column.id, `${where}.id`, ERROR_CODES.column);
  const stat = column.stat_name ?? column.statName;
  if (typeof stat !== "string" || stat === "") return fail(ERROR_CODES.column, where, "has no stat_name (or statName)");
  const dispositions = optionalStrings(column.dispositions, `${where}.dispositions`, ERROR_CODES.column);
  if (stat !== "SUM") {
    checkStatistic(stat, scope, `${where}.stat_name`, false);
    return { id, stat, sum: null, dispositions };
  }
  const sum = optionalStrings(column.sum_stat_names, `${where}.sum_stat_names`, ERROR_CODES.sum);
  if (sum === null || sum.length === 0) return fail(ERROR_CODES.sum, `${where}.sum_stat_names`, "SUM needs a non-empty sum_stat_names");
  sum.forEach((name, i) => {
    checkStatistic(name, scope, `${where}.sum_stat_names[${i}]`, false);
    if (!isNumericStatistic(name)) fail(ERROR_CODES.sum, `${where}.sum_stat_names[${i}]`, `${JSON.stringify(name)} is not a number and cannot be summed`);
  });
  return { id, stat, sum, dispositions };
}

function checkStatistic(name: string, scope: StatScope, where: string, totals: boolean): void {
  const spec = STATISTICS[name];
  if (spec === undefined) fail(ERROR_CODES.unknownStatistic, where, `unknown statistic ${JSON.stringify(name)}`);
  if (spec!.scope !== scope || (totals && !spec!.totals)) {
    fail(ERROR_CODES.unknownStatistic, where, `statistic ${JSON.stringify(name)} is not available ${totals ? "in stats_totals" : `in ${scope} grids`}`);
  }
}

// Column and grid ids are strings; one documented example sends a number, which is accepted as its decimal text.
function idOf(value: unknown, where: string, code: number): string {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string" || value === "") return fail(code, where, "must be a non-empty string");
  return value;
}

function parseDir(value: unknown, where: string): boolean {
  if (value === undefined) return false;
  const dir = typeof value === "string" ? value.toUpperCase() : "";
  if (dir !== "ASC" && dir !== "DESC") fail(ERROR_CODES.order, where, `must be ASC or DESC, not ${JSON.stringify(value)}`);
  return dir === "DESC";
}

function parseOperation(value: unknown, where: string): FilterOperation {
  if (value === undefined) return "EQ";
  if (typeof value !== "string" || !FILTER_OPERATIONS.has(value.toUpperCase())) {
    return fail(ERROR_CODES.filter, where, `must be one of EQ, NE, LT, GT, LE, GE, not ${JSON.stringify(value)}`);
  }
  return value.toUpperCase() as FilterOperation;
}

function parseFilterValue(value: unknown, where: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string" || typeof value === "number") return String(value);
  return fail(ERROR_CODES.filter, where, "must be a string");
}

function parseLimit(value: unknown, where: string): number | null {
  if (value === undefined || value === null || value === "") return null;
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  if (!/^\d+$/.test(text)) return fail(ERROR_CODES.limit, where, `must be a non-negative integer, not ${JSON.stringify(value)}`);
  return Number(text);
}

function parseFlag(value: unknown, where: string): boolean {
  if (value === undefined || value === false || value === "false") return false;
  if (value === true || value === "true") return true;
  return fail(ERROR_CODES.grid, where, `must be true or false, not ${JSON.stringify(value)}`);
}

function optionalStrings(value: unknown, where: string, code: number): string[] | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) return fail(code, where, "must be an array of strings");
  return value as string[];
}
