// Several tenants served as one exposition (/metrics without ?tenant=): a metric family's HELP and TYPE
// once, then every tenant's samples of it, as the text format wants. Each tenant's bytes are the ones
// prepared at its poll, with where each family lies in them (withTenantLabel, encodeFamilies); combining
// picks slices, in family order.
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { PreparedStatistics } from "./prepared-statistics.js";
import { type FamilySpan, familySpans } from "./tenant-label.js";

const deflateRaw = promisify(zlib.deflateRaw);

/** One tenant's rendered bytes and where its families lie in them. */
export interface FamilyText {
  plain: Buffer;
  families: readonly FamilySpan[];
}

/** Slices of the texts: each family (in first-seen order) with its first header and all its samples. */
export function combinedChunks(texts: readonly FamilyText[]): Buffer[] {
  const byName = new Map<string, Buffer[]>();
  for (const { plain, families } of texts) {
    for (const span of families) {
      let chunks = byName.get(span.name);
      if (chunks === undefined) byName.set(span.name, (chunks = [plain.subarray(span.start, span.samplesStart)]));
      if (span.end > span.samplesStart) chunks.push(plain.subarray(span.samplesStart, span.end));
    }
  }
  return [...byName.values()].flat();
}

/** Several rendered texts (e.g. prom-client registries of several tenants) as one exposition text. */
export function combineTexts(texts: readonly string[]): string {
  const parts = texts.map((text) => ({ plain: Buffer.from(text, "utf8"), families: familySpans(text) }));
  return Buffer.concat(combinedChunks(parts)).toString("utf8");
}

/** The statistics of several tenants as one prepared exposition; the deflate runs on zlib's thread pool. */
export async function combineStatistics(texts: readonly FamilyText[]): Promise<PreparedStatistics> {
  const plain = Buffer.concat(combinedChunks(texts));
  const deflated = await deflateRaw(plain, { level: 1, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return { chunks: [plain], byteLength: plain.length, deflated, crc32: zlib.crc32(plain) };
}
