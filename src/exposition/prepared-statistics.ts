// The statistics of one poll, made ready to serve (worker side): UTF-8 bytes, their raw deflate ending
// with a sync flush (byte-aligned, not final) and their CRC-32, so that scrape-body.ts can append the
// self-metrics to either form without touching these bytes again.
import { availableParallelism } from "node:os";
import { promisify } from "node:util";
import zlib from "node:zlib";

const deflateRaw = promisify(zlib.deflateRaw);

/** The statistics of one poll, ready to be served any number of times. */
export interface PreparedStatistics {
  plain: Buffer;
  /** Raw deflate blocks of `plain`, ending with a sync flush (no final block). */
  deflated: Buffer;
  crc32: number;
}

// Level 3: about a third of level 6's time for a few per cent more bytes (docs/performance.md).
const DEFLATE_LEVEL = 3;
/** Below this, one part: splitting small texts costs more than it saves. */
const MIN_PART_BYTES = 1 << 20;

/**
 * Runs once per poll. Deflates in parts side by side on zlib's thread pool (one per core). Each part ends
 * with a sync flush, so the parts concatenated are one valid raw deflate stream (as pigz does).
 */
export async function prepareStatistics(text: string, partCount?: number): Promise<PreparedStatistics> {
  const plain = Buffer.from(text, "utf8");
  const parts = partCount ?? Math.max(1, Math.min(availableParallelism(), Math.floor(plain.length / MIN_PART_BYTES)));
  const size = Math.ceil(plain.length / parts);
  const deflated = await Promise.all(
    Array.from({ length: parts }, (_, i) =>
      deflateRaw(plain.subarray(i * size, (i + 1) * size), { level: DEFLATE_LEVEL, finishFlush: zlib.constants.Z_SYNC_FLUSH }),
    ),
  );
  return { plain, deflated: Buffer.concat(deflated), crc32: zlib.crc32(plain) };
}
