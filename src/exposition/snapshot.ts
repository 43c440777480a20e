// What /metrics serves between polls: the statistics of the last poll, swapped whole when the next one is
// ready and dropped when the data goes stale. Main-thread side.
import zlib from "node:zlib";
import type { PreparedStatistics } from "./prepared-statistics.js";
import type { ProcessedData } from "./job.js";

export const EMPTY_STATISTICS: PreparedStatistics = {
  plain: Buffer.alloc(0),
  deflated: zlib.deflateRawSync(Buffer.alloc(0), { finishFlush: zlib.constants.Z_SYNC_FLUSH }),
  crc32: 0,
};

export class Snapshot {
  private served: Pick<ProcessedData, "statistics" | "series"> = { statistics: EMPTY_STATISTICS, series: 0 };

  get statistics(): PreparedStatistics {
    return this.served.statistics;
  }

  /** Series in the served statistics. */
  get series(): number {
    return this.served.series;
  }

  swap(processed: Pick<ProcessedData, "statistics" | "series">): void {
    this.served = { statistics: processed.statistics, series: processed.series };
  }

  drop(): void {
    this.served = { statistics: EMPTY_STATISTICS, series: 0 };
  }
}
