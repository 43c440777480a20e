// With several tenants every statistic series carries tenant="NAME". The label goes in after rendering, on
// the worker thread, so the mapping (metrics/) knows nothing of tenants and a single-tenant config renders
// exactly as before. Also: where each metric family lies in a rendered text, for texts not encoded family
// by family (the tenants' self-metrics), so that several can be served as one (one HELP/TYPE a family).
import { TENANT_LABEL } from "../config/tenant-label.js";

/** Adds `tenant="NAME"` as the first label of every sample line. A name ends at the first `{` or space. */
export function withTenantLabel(text: string, tenant: string): string {
  // Tenant names are letters, digits, ".", "_" and "-" (config/schema.ts): nothing to escape.
  const pair = `${TENANT_LABEL}="${tenant}"`;
  let out = "";
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    if (line === "" || line.startsWith("#")) out += line;
    else {
      const brace = line.indexOf("{");
      const space = line.indexOf(" ");
      if (brace !== -1 && (space === -1 || brace < space)) out += `${line.slice(0, brace + 1)}${pair}${line[brace + 1] === "}" ? "" : ","}${line.slice(brace + 1)}`;
      else out += `${line.slice(0, space)}{${pair}}${line.slice(space)}`;
    }
    if (end < text.length) out += "\n";
    start = end + 1;
  }
  return out;
}

/** One metric family in a rendered text: its name, and byte offsets of its HELP/TYPE header and of its samples. */
export interface FamilySpan {
  name: string;
  start: number;
  samplesStart: number;
  end: number;
}

/** The families of a rendered text (each starts with `# HELP name`), as byte offsets into its UTF-8 bytes. */
export function familySpans(text: string): FamilySpan[] {
  const spans: FamilySpan[] = [];
  let bytes = 0;
  let start = 0;
  let current: FamilySpan | undefined;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length - 1;
    const line = text.slice(start, end + 1);
    if (line.startsWith("# HELP ")) {
      if (current) spans.push({ ...current, end: bytes });
      const name = line.slice(7, line.indexOf(" ", 7) === -1 ? undefined : line.indexOf(" ", 7)).trim();
      current = { name, start: bytes, samplesStart: bytes, end: bytes };
    }
    const size = Buffer.byteLength(line, "utf8");
    if (current && line.startsWith("#")) current.samplesStart = bytes + size;
    bytes += size;
    start = end + 1;
  }
  if (current) spans.push({ ...current, end: bytes });
  return spans;
}
