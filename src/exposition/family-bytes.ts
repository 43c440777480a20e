// The statistics of one poll as bytes, family by family, encoded once. OpenMetrics differs from the text
// format only in each family's header, so it is served as its own headers between slices of the text
// format's bytes: at 100k series that keeps one copy of ~9 MB of samples instead of two (docs/performance.md).
import type { FamilySpan } from "./tenant-label.js";

/** What a family is made of: its name, its header in one format, and its sample lines. */
export interface FamilyToEncode {
  name: string;
  header: string;
  samples: string;
}

/**
 * One family's text after another in one buffer of its own (not Node's shared pool, so it can be
 * transferred to another thread), and where each family lies in it.
 */
export function encodeFamilies(families: readonly FamilyToEncode[]): { bytes: Buffer; spans: FamilySpan[] } {
  const sizes = families.map((family) => [Buffer.byteLength(family.header, "utf8"), Buffer.byteLength(family.samples, "utf8")] as const);
  const bytes = Buffer.allocUnsafeSlow(sizes.reduce((sum, [header, samples]) => sum + header + samples, 0));
  const spans: FamilySpan[] = [];
  let offset = 0;
  for (const family of families) {
    const start = offset;
    offset += bytes.write(family.header, offset, "utf8");
    const samplesStart = offset;
    offset += bytes.write(family.samples, offset, "utf8");
    spans.push({ name: family.name, start, samplesStart, end: offset });
  }
  return { bytes, spans };
}

/**
 * The families of `text` (as `spans` say) under other headers: each header (one a span, in order, as
 * encodeFamilies laid them out in `headers`) followed by that family's samples in `text`. Views, no copy.
 */
export function withOtherHeaders(text: Buffer, spans: readonly FamilySpan[], headers: Buffer, headerSpans: readonly FamilySpan[]): Buffer[] {
  return spans.flatMap((span, i) => {
    const header = headerSpans[i];
    if (header === undefined) throw new Error(`no other header for family ${span.name}`);
    return [headers.subarray(header.start, header.end), text.subarray(span.samplesStart, span.end)];
  });
}
