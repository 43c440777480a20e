// The statistic exposition being served: the text of the last poll as bytes, plain and gzip, swapped
// together so that a scrape never gets the plain text of one poll and the gzip of another.
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { RenderedStatistics } from "./render.js";

const gzip = promisify(zlib.gzip);

export interface ExpositionSnapshot {
  plain: Buffer;
  gzip: Buffer;
  series: number;
  /** Date.now() of the update that produced it; undefined when empty. */
  updatedAt: number | undefined;
}

const EMPTY: ExpositionSnapshot = Object.freeze({ plain: Buffer.alloc(0), gzip: zlib.gzipSync(Buffer.alloc(0)), series: 0, updatedAt: undefined });

export class StatisticsExposition {
  private snapshot: ExpositionSnapshot = EMPTY;
  // Bumped by every update and clear: a compression that finishes after a newer update or a clear is dropped.
  private generation = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Compresses off the event loop (zlib's thread pool), then swaps plain and gzip at once. */
  async update(rendered: Pick<RenderedStatistics, "text" | "series">): Promise<void> {
    const generation = ++this.generation;
    const plain = Buffer.from(rendered.text, "utf8");
    const compressed = await gzip(plain);
    if (generation !== this.generation) return;
    this.snapshot = { plain, gzip: compressed, series: rendered.series, updatedAt: this.now() };
  }

  /** Drops every statistic family (stale data); an update still compressing is dropped too. */
  clear(): void {
    this.generation++;
    this.snapshot = EMPTY;
  }

  current(): ExpositionSnapshot {
    return this.snapshot;
  }
}
