// Parsers of upstream values. Upstream sends every value as a JSON string ("" = no value); numbers and
// null are accepted too. A parser returns a number, NO_VALUE (no sample — never 0) or INVALID (counted
// and skipped). They allocate nothing on the hot path: the renderer calls them once per sample.
import type { PercentScale } from "../config/types.js";
import type { StatValue } from "../statsapi/types.js";

export const INVALID = Symbol("invalid value");
export type Parsed = number | undefined | typeof INVALID;
export type ValueParser = (value: StatValue | undefined, percentScale: PercentScale) => Parsed;

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const CLOCK = /^(?:(\d+):)?([0-5]?\d):([0-5]?\d)$/;
const PERCENT_SIGN = /^(.*?)\s*%$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
// Epoch numbers from here on are milliseconds (1e11 s is the year 5138; 1e11 ms is 1973).
const EPOCH_MS_FROM = 1e11;

/** Only finite numbers are served: "1e309" parses to Infinity and is as invalid as "Infinity". */
const finite = (n: number): Parsed => (Number.isFinite(n) ? n : INVALID);

function decimal(text: string): Parsed {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  return DECIMAL.test(trimmed) ? finite(Number(trimmed)) : INVALID;
}

/**
 * `value / 100` as the decimal it was: 80.1 / 100 is 0.8009999999999999 in binary floating point; 15 significant
 * digits (all a double holds exactly) give back 0.801.
 */
function hundredth(value: number): number {
  return Number((value / 100).toPrecision(15));
}

export function parseNumber(value: StatValue | undefined): Parsed {
  if (typeof value === "string") return decimal(value);
  if (typeof value === "number") return finite(value);
  return value === null || value === undefined ? undefined : INVALID;
}

/** Seconds: a number of seconds, or a clock "hh:mm:ss" / "mm:ss". */
export function parseDuration(value: StatValue | undefined): Parsed {
  if (typeof value !== "string" || !value.includes(":")) return parseNumber(value);
  const clock = CLOCK.exec(value.trim());
  if (clock === null) return INVALID;
  return Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
}

/** A ratio 0..1: the value divided by its upstream scale; "85%" is 0.85 whatever the scale. */
export function parsePercent(value: StatValue | undefined, scale: PercentScale): Parsed {
  if (typeof value === "string" && value.includes("%")) {
    const match = PERCENT_SIGN.exec(value.trim());
    const parsed = match === null ? INVALID : decimal(match[1] ?? "");
    return typeof parsed === "number" ? hundredth(parsed) : INVALID;
  }
  const parsed = parseNumber(value);
  return typeof parsed === "number" && scale === 100 ? hundredth(parsed) : parsed;
}

/** Unix seconds from ISO 8601 (UTC when no zone is given), epoch seconds or epoch milliseconds. */
export function parseTimestamp(value: StatValue | undefined): Parsed {
  if (typeof value === "string" && value.includes("-", 1)) {
    const text = value.trim();
    const iso = ISO_DATE.exec(text);
    if (iso === null) return INVALID;
    const utc = text.replace(" ", "T") + (iso[1] === undefined ? "Z" : "");
    const ms = Date.parse(iso[0].length === 10 ? `${text}T00:00:00Z` : utc);
    return Number.isNaN(ms) ? INVALID : ms / 1000;
  }
  const parsed = parseNumber(value);
  if (typeof parsed !== "number") return parsed;
  return Math.abs(parsed) >= EPOCH_MS_FROM ? parsed / 1000 : parsed;
}

/** 1 or 0 from "1"/"0", "true"/"false" or a boolean (chat messages' is_urgent). */
export function parseBoolean(value: StatValue | undefined): Parsed {
  if (value === true || value === 1) return 1;
  if (value === false || value === 0) return 0;
  if (typeof value !== "string") return value === null || value === undefined ? undefined : INVALID;
  switch (value.trim().toLowerCase()) {
    case "":
      return undefined;
    case "1":
    case "true":
      return 1;
    case "0":
    case "false":
      return 0;
    default:
      return INVALID;
  }
}

/**
 * A state value: lower-case snake_case ("Not Ready" → "not_ready"). No value means `empty`: logged out for
 * acd_state, "none" (nothing pending) for acd_next_state.
 */
export function parseState(value: StatValue | undefined, empty = "logged_out"): string {
  if (value === null || value === undefined) return empty;
  const text = String(value).trim();
  if (text === "") return empty;
  return text.toLowerCase().replace(/[\s-]+/g, "_");
}

/** A label value as text ("" when there is none). */
export function labelText(value: StatValue | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}

export const NUMERIC_PARSERS: Readonly<Record<"number" | "duration" | "percent" | "timestamp", ValueParser>> = {
  number: parseNumber,
  duration: parseDuration,
  percent: parsePercent,
  timestamp: parseTimestamp,
};
