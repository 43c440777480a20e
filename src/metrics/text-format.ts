// Pieces of the Prometheus text exposition format 0.0.4: label value escaping (with truncation of
// hostile lengths) and sample value formatting.

const NEEDS_WORK = /[\\"\n\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPED = /[\\"\n]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", '"': '\\"', "\n": "\\n" };
export const ELLIPSIS = "…";

/** At most `max` code points (the last one "…" when cut), never splitting a surrogate pair. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value; // UTF-16 units >= code points
  const cut = unitsOf(value, max - 1);
  return unitsOf(value, max) >= value.length ? value : value.slice(0, cut) + ELLIPSIS;
}

/** UTF-16 units taken by the first `points` code points of `value` (all of it when shorter). */
function unitsOf(value: string, points: number): number {
  let units = 0;
  for (let p = 0; p < points && units < value.length; p++) {
    const code = value.charCodeAt(units);
    const next = value.charCodeAt(units + 1);
    units += code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  return units;
}

/** A label value as it goes between the quotes: well-formed UTF-16, at most `max` code points, escaped. */
export function escapeLabelValue(value: string, max: number): string {
  if (value.length <= max && !NEEDS_WORK.test(value)) return value;
  return truncate(value.replace(LONE_SURROGATE, "\uFFFD"), max).replace(ESCAPED, (c) => ESCAPES[c] ?? c);
}

/** HELP text escapes backslash and newline only. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** Integers as integers, other numbers as JS's shortest round-trip form, non-finite as Prometheus spells them. */
export function formatValue(value: number): string {
  if (Number.isFinite(value)) return String(value);
  if (Number.isNaN(value)) return "NaN";
  return value > 0 ? "+Inf" : "-Inf";
}
