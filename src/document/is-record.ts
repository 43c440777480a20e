/** A plain object (not null, not an array): what a YAML or JSON mapping parses to. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
