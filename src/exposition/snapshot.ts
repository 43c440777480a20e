// What /metrics serves between polls: the statistics of the last poll, swapped whole when the next one is
// ready and dropped when the data goes stale. Main-thread side.
import { EMPTY_STATISTICS, type PreparedStatistics } from "./prepared-statistics.js";
import type { ProcessedData } from "./job.js";
import type { FamilyText } from "./combined.js";

type Served = Pick<ProcessedData, "statistics" | "openMetrics" | "series" | "families">;

const NO_BYTES = Buffer.alloc(0);
const NOTHING_SERVED: Served = { statistics: EMPTY_STATISTICS, series: 0, families: [] };

export class Snapshot {
  private served: Served = NOTHING_SERVED;
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

  /** The text format's bytes (one chunk) and where each family lies in them: what tenants are combined from. */
  get familyText(): FamilyText {
    return { plain: this.served.statistics.chunks[0] ?? NO_BYTES, families: this.served.families };
  }

  swap(processed: Served): void {
    const { statistics, openMetrics, series, families } = processed;
    this.served = { statistics, series, families, ...(openMetrics && { openMetrics }) };
    this.version++;
  }

  drop(): void {
    this.served = NOTHING_SERVED;
    this.version++;
  }
}
