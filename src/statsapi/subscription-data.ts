// The data body of a subscription, checked by hand: it can be several MB (100k cells) and is parsed every poll,
// so one pass of typeof checks instead of a schema. Lenient where the API is (extra fields, absent sections,
// numbers for strings); strict where the mapper would otherwise misread (a cell that is an object or an array).
import { StatsApiError } from "./errors.js";
import { appendIndex, appendKey, shownPath } from "../document/path.js";
import type { SubscriptionData } from "./types.js";
import { isRecord } from "../document/is-record.js";

const OPERATION = "GET /statsapi/subscription/data";

class ShapeError extends Error {}

/**
 * JSON values a body may hold: 8 a series of metrics.max_series, counted as at least the default 250k, plus
 * 100k for everything not served (the real captures hold 1 to 4 a series). A memory bound, not the series
 * cap: a body past max_series but within it is rendered and cut, as max_series says. Past it the body is
 * refused before it is parsed: a few MB of `[],` would otherwise build tens of millions of objects and
 * exhaust the statistics worker's heap, which stalls every tenant's polls or aborts the process.
 */
export function valueBudget(maxSeries: number): number {
  return 8 * Math.max(maxSeries, DEFAULT_MAX_SERIES) + 100_000;
}
const DEFAULT_MAX_SERIES = 250_000;

/** `,`, `[` and `{` in the text, counted up to just past `limit`: at least the values JSON.parse would build, less one. */
export function countValueMarks(text: string, limit: number): number {
  let count = 0;
  for (const mark of [",", "[", "{"]) {
    for (let i = text.indexOf(mark); i !== -1; i = text.indexOf(mark, i + 1)) if (++count > limit) return count;
  }
  return count;
}

/**
 * Parses and checks a data body. Throws StatsApiError BP_MALFORMED saying where the shape is wrong, or that
 * the body holds more values than `maxSeries` series could need.
 */
export function parseSubscriptionData(text: string, maxSeries = DEFAULT_MAX_SERIES): SubscriptionData {
  const budget = valueBudget(maxSeries);
  if (countValueMarks(text, budget) > budget) {
    throw malformed(`body holds more than ${budget} JSON values, more than ${Math.max(maxSeries, DEFAULT_MAX_SERIES)} series could need: refused unparsed`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw malformed(`body is not JSON (${(error as Error).message})`);
  }
  try {
    return checkData(json);
  } catch (error) {
    if (error instanceof ShapeError) throw malformed(error.message);
    throw error;
  }
}

function malformed(message: string): StatsApiError {
  return new StatsApiError("BP_MALFORMED", message, { operation: OPERATION, status: 200 });
}


function expected(path: string, what: string, value: unknown): ShapeError {
  return new ShapeError(`${shownPath(path)}: expected ${what}, got ${kindOf(value)}`);
}

function kindOf(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function checkData(json: unknown): SubscriptionData {
  if (!isRecord(json)) throw expected("", "an object keyed by app id", json);
  for (const appId in json) {
    checkApp(json[appId], appendKey("", appId));
  }
  return json as SubscriptionData;
}

/** Checks one app in place; null sections become absent ones (nothing to map either way). */
function checkApp(app: unknown, path: string): void {
  if (!isRecord(app)) throw expected(path, "an object", app);
  for (const section of ["stats_totals", "service_grids", "agent_grids", "chat_messages"] as const) {
    if (app[section] === null) delete app[section];
  }
  if (app.stats_totals !== undefined) checkRow(app.stats_totals, appendKey(path, "stats_totals"));
  if (app.service_grids !== undefined) checkGrids(app.service_grids, appendKey(path, "service_grids"));
  if (app.agent_grids !== undefined) checkGrids(app.agent_grids, appendKey(path, "agent_grids"));
  if (app.chat_messages !== undefined) checkChat(app.chat_messages, appendKey(path, "chat_messages"));
}

function checkGrids(grids: unknown, path: string): void {
  if (!Array.isArray(grids)) throw expected(path, "an array of grids", grids);
  for (let index = 0; index < grids.length; index++) {
    const grid: unknown = grids[index];
    const gridPath = appendIndex(path, index);
    if (!isRecord(grid)) throw expected(gridPath, "an object", grid);
    const id = grid.id;
    if (typeof id === "number") grid.id = String(id);
    else if (typeof id !== "string") throw expected(appendKey(gridPath, "id"), "a string", id);
    const values = grid.values;
    if (values === undefined || values === null) {
      grid.values = [];
      continue;
    }
    if (!Array.isArray(values)) throw expected(appendKey(gridPath, "values"), "an array of rows", values);
    const valuesPath = appendKey(gridPath, "values");
    for (let row = 0; row < values.length; row++) checkRow(values[row], valuesPath, row);
  }
}

/** A row (or the totals): an object of strings, numbers, booleans or null. `row` is given for grid rows. */
function checkRow(value: unknown, path: string, row?: number): void {
  if (!isRecord(value)) throw expected(row === undefined ? path : appendIndex(path, row), "an object", value);
  for (const key in value) {
    const cell = value[key];
    // The common case first: one typeof per cell.
    if (typeof cell === "string" || typeof cell === "number" || typeof cell === "boolean" || cell === null) continue;
    const rowPath = row === undefined ? path : appendIndex(path, row);
    throw expected(appendKey(rowPath, key), "a string, number, boolean or null", cell);
  }
}

const CHAT_TEXT_FIELDS = ["id", "login_id", "first_name", "last_name", "content"] as const;

/** Chat messages: text fields become strings ("" when absent or null), send_time and is_urgent are kept as sent. */
function checkChat(messages: unknown, path: string): void {
  if (!Array.isArray(messages)) throw expected(path, "an array of messages", messages);
  for (let index = 0; index < messages.length; index++) {
    const message: unknown = messages[index];
    const messagePath = appendIndex(path, index);
    if (!isRecord(message)) throw expected(messagePath, "an object", message);
    for (const field of CHAT_TEXT_FIELDS) {
      const value = message[field];
      if (value === undefined || value === null) message[field] = "";
      else if (typeof value === "number" || typeof value === "boolean") message[field] = String(value);
      else if (typeof value !== "string") throw expected(appendKey(messagePath, field), "a string", value);
    }
    const sendTime = message.send_time;
    if (sendTime === undefined || sendTime === null) message.send_time = "";
    else if (typeof sendTime !== "string" && typeof sendTime !== "number") {
      throw expected(appendKey(messagePath, "send_time"), "a timestamp string or number", sendTime);
    }
    const urgent = message.is_urgent;
    if (urgent === undefined || urgent === null) message.is_urgent = "0";
    else if (typeof urgent !== "string" && typeof urgent !== "number" && typeof urgent !== "boolean") {
      throw expected(appendKey(messagePath, "is_urgent"), '"1" or "0"', urgent);
    }
  }
}
