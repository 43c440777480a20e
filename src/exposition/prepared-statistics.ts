// The statistics of one poll, made ready to serve (worker side): UTF-8 bytes, their raw deflate ending
// with a sync flush (byte-aligned, not final) and their CRC-32, so that scrape-body.ts can append the
// self-metrics to either form without touching these bytes again.
import { availableParallelism } from "node:os";
import zlib from "node:zlib";

/** The statistics of one poll, ready to be served any number of times. */
export interface PreparedStatistics {
  /**
   * The bytes, in order: one buffer (the text format), or OpenMetrics' own family headers between slices
   * of the text format's bytes (the samples are the same: held once, family-bytes.ts).
   */
  chunks: readonly Buffer[];
  byteLength: number;
  /** Raw deflate blocks of the chunks, ending with a sync flush (no final block). */
  deflated: Buffer;
  crc32: number;
}

// Level 3: about a third of level 6's time for a few per cent more bytes (docs/performance.md).
const DEFLATE_LEVEL = 3;
const EMPTY_DEFLATE = zlib.deflateRawSync(Buffer.alloc(0), { finishFlush: zlib.constants.Z_SYNC_FLUSH });

/** No statistics (before the first poll, or dropped when stale). */
export const EMPTY_STATISTICS: PreparedStatistics = { chunks: [], byteLength: 0, deflated: EMPTY_DEFLATE, crc32: 0 };

/** Below this, one part: splitting small texts costs more than it saves. */
const MIN_PART_BYTES = 1 << 20;

/** The chunks as consecutive parts of at most `size` bytes each, a part being views of one or more chunks (no copy). */
export function partsOf(chunks: readonly Buffer[], size: number): Buffer[][] {
  const parts: Buffer[][] = [];
  let room = 0;
  for (let rest of chunks) {
    while (rest.length > 0) {
      if (room === 0) {
        parts.push([]);
        room = size;
      }
      const piece = rest.subarray(0, room);
      parts.at(-1)!.push(piece);
      room -= piece.length;
      rest = rest.subarray(piece.length);
    }
  }
  return parts;
}

/** One part's views through one raw deflate stream, ending with a sync flush. */
function deflatePart(views: readonly Buffer[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const stream = zlib.createDeflateRaw({ level: DEFLATE_LEVEL, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    stream.on("data", (chunk: Buffer) => out.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(out)));
    stream.on("error", reject);
    for (const view of views) stream.write(view);
    stream.end();
  });
}

/**
 * Runs once per poll. Deflates in parts side by side on zlib's thread pool (one a core, each one stream
 * over its chunks, however many: OpenMetrics has two a family). Each part ends with a sync flush, so the
 * parts concatenated are one valid raw deflate stream (as pigz does).
 */
export async function prepareStatistics(content: string | readonly Buffer[], partCount?: number): Promise<PreparedStatistics> {
  const chunks = typeof content === "string" ? [Buffer.from(content, "utf8")] : content.filter((chunk) => chunk.length > 0);
  const byteLength = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const parts = partCount ?? Math.max(1, Math.min(availableParallelism(), Math.floor(byteLength / MIN_PART_BYTES)));
  const deflated = await Promise.all(partsOf(chunks, Math.max(1, Math.ceil(byteLength / parts))).map(deflatePart));
  const crc32 = chunks.reduce((crc, chunk) => zlib.crc32(chunk, crc), 0);
  return { chunks, byteLength, deflated: deflated.length === 0 ? EMPTY_DEFLATE : Buffer.concat(deflated), crc32 };
}
