// What /metrics serves between polls: the statistics of the last poll, swapped whole when the next one is
// ready and dropped when the data goes stale. Main-thread side.
import zlib from "node:zlib";
import type { PreparedStatistics } from "./prepared-statistics.js";
import type { ProcessedData } from "./job.js";
import type { FamilySpan } from "./tenant-label.js";

type Served = Pick<ProcessedData, "statistics" | "openMetrics" | "series" | "families">;

export const EMPTY_STATISTICS: PreparedStatistics = {
  plain: Buffer.alloc(0),
  deflated: zlib.deflateRawSync(Buffer.alloc(0), { finishFlush: zlib.constants.Z_SYNC_FLUSH }),
  crc32: 0,
};

export class Snapshot {
  private served: Served = { statistics: EMPTY_STATISTICS, series: 0 };
  /** Counts swaps and drops: what was combined from this snapshot is current while it is unchanged. */
  version = 0;

  /** The text format 0.0.4. */
  get statistics(): PreparedStatistics {
    return this.served.statistics;
  }

  /** OpenMetrics, without `# EOF` (empty for a tenant's snapshot: tenants are served as text). */
  get openMetrics(): PreparedStatistics {
    return this.served.openMetrics ?? EMPTY_STATISTICS;
  }

  /** Series in the served statistics. */
  get series(): number {
    return this.served.series;
  }

  /** Where each family lies in the statistics (a tenant's snapshot only). */
  get families(): readonly FamilySpan[] {
    return this.served.families ?? [];
  }

  swap(processed: Served): void {
    this.served = {
      statistics: processed.statistics,
      series: processed.series,
      ...(processed.openMetrics && { openMetrics: processed.openMetrics }),
      ...(processed.families && { families: processed.families }),
    };
    this.version++;
  }

  drop(): void {
    this.served = { statistics: EMPTY_STATISTICS, series: 0 };
    this.version++;
  }
}
