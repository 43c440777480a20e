// The body of a /metrics answer: the statistic exposition rendered once per poll, followed by the
// self-metrics rendered per scrape. Both plain and gzip bodies are built without copying or
// re-compressing the (possibly many MB of) statistics on each scrape:
// the statistics are deflated once per poll with a sync flush (byte-aligned, not final), so a scrape
// only deflates the small self-metrics text after them and writes a gzip trailer whose CRC-32
// continues from the statistics' CRC. The result is one ordinary gzip member (RFC 1952).
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

export const EMPTY_STATISTICS: PreparedStatistics = {
  plain: Buffer.alloc(0),
  deflated: zlib.deflateRawSync(Buffer.alloc(0), { finishFlush: zlib.constants.Z_SYNC_FLUSH }),
  crc32: 0,
};

/** Runs once per poll, on zlib's thread pool (never blocks the event loop). */
export async function prepareStatistics(text: string): Promise<PreparedStatistics> {
  const plain = Buffer.from(text, "utf8");
  const deflated = await deflateRaw(plain, { finishFlush: zlib.constants.Z_SYNC_FLUSH, level: 6 });
  return { plain, deflated, crc32: zlib.crc32(plain) };
}

// ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=255 (unknown)
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);

/** The chunks of a gzip body holding the statistics followed by `tail`. */
export async function gzipChunks(statistics: PreparedStatistics, tail: string): Promise<Buffer[]> {
  const tailBytes = Buffer.from(tail, "utf8");
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(zlib.crc32(tailBytes, statistics.crc32), 0);
  trailer.writeUInt32LE((statistics.plain.length + tailBytes.length) % 2 ** 32, 4);
  return [GZIP_HEADER, statistics.deflated, await deflateRaw(tailBytes), trailer];
}

/** The chunks of a plain body holding the statistics followed by `tail`. */
export function plainChunks(statistics: PreparedStatistics, tail: string): Buffer[] {
  return [statistics.plain, Buffer.from(tail, "utf8")];
}
