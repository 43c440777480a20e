// The body of a /metrics answer (main thread, per scrape): the statistics prepared once per poll
// (prepared-statistics.ts), followed by the self-metrics rendered per scrape. Neither form copies or
// re-compresses the (possibly many MB of) statistics: a gzip scrape only deflates the small self-metrics
// text after them and writes a trailer whose CRC-32 continues from the statistics' CRC. The result is one
// ordinary gzip member (RFC 1952).
import zlib from "node:zlib";
import type { PreparedStatistics } from "./prepared-statistics.js";

// ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=255 (unknown)
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);

// The self-metrics (~10 KB) change at most once per poll or second: their deflate is kept for the next
// scrapes, and done inline at level 1 (cheaper than a round trip to zlib's thread pool). Keyed by the text,
// so exporters sharing a process share it safely.
let lastTail: { text: string; byteLength: number; deflated: Buffer } | undefined;

function deflatedTail(tail: string): { byteLength: number; deflated: Buffer } {
  if (lastTail?.text !== tail) {
    const bytes = Buffer.from(tail, "utf8");
    lastTail = { text: tail, byteLength: bytes.length, deflated: zlib.deflateRawSync(bytes, { level: 1 }) };
  }
  return lastTail;
}

/** The chunks of a gzip body holding the statistics followed by `tail`. */
export function gzipChunks(statistics: PreparedStatistics, tail: string): Buffer[] {
  const { byteLength, deflated } = deflatedTail(tail);
  const trailer = Buffer.alloc(8);
  // The CRC of the text, not of a Buffer: Node 20 reads an empty Buffer passed through deflateRawSync as detached (CRC 0).
  trailer.writeUInt32LE(zlib.crc32(tail, statistics.crc32), 0);
  trailer.writeUInt32LE((statistics.byteLength + byteLength) % 2 ** 32, 4);
  return [GZIP_HEADER, statistics.deflated, deflated, trailer];
}

/** The chunks of a plain body holding the statistics followed by `tail`. */
export function plainChunks(statistics: PreparedStatistics, tail: string): Buffer[] {
  return [...statistics.chunks, Buffer.from(tail, "utf8")];
}
