// Durations: "250ms", "5s", "1m30s", "2h", or a plain number of seconds (YAML number or numeric string).

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const SEQUENCE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
const SECONDS = /^\d+(?:\.\d+)?$/;

export const DURATION_EXPECTED = 'a duration like "250ms", "5s", "1m30s", "2h" or a number of seconds';

/** Milliseconds (rounded), or undefined when the input is not a non-negative duration. */
export function parseDuration(input: unknown): number | undefined {
  if (typeof input === "number") {
    return Number.isFinite(input) && input >= 0 ? Math.round(input * 1000) : undefined;
  }
  if (typeof input !== "string") return undefined;
  const text = input.trim();
  if (SECONDS.test(text)) return Math.round(Number(text) * 1000);
  if (!SEQUENCE.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    total += Number(amount) * (UNIT_MS[unit ?? ""] ?? Number.NaN);
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}
