// Percent values that cannot be on their configured scale (reference: the scale is unsettled upstream). A ratio
// above 1.5 says at once that 0–100 values are read on scale 1; grid percents all within 0–1 over many polls on
// scale 100 say the upstream sends 0–1. Each suspect column is logged once, with the fix, and counted.
import type { Logger } from "pino";
import type { PercentCheck } from "../metrics/render.js";

/** Polls in a row with every value within 0–1 (and one above 0) before scale 100 is suspect. */
export const SMALL_VALUE_POLLS = 20;

export class PercentScaleCheck {
  /** Per YAML path: polls in a row whose values all lay within 0–1 on scale 100. */
  private readonly small = new Map<string, number>();
  private readonly suspect = new Map<string, string>();

  constructor(private readonly logger: Logger) {}

  /** Takes one poll's checks; returns how many percent columns are suspect now. */
  observe(checks: Record<string, PercentCheck>): number {
    for (const [path, check] of Object.entries(checks)) {
      const fix = this.fixFor(path, check);
      // Once suspect, a column stays so until the config changes (a reload starts a new check).
      if (fix === undefined || this.suspect.has(path)) continue;
      this.logger.warn({ path, percent_scale: check.scale }, fix);
      this.suspect.set(path, fix);
    }
    return this.suspect.size;
  }

  private fixFor(path: string, check: PercentCheck): string | undefined {
    if (check.aboveRatio > 0) {
      return `percent values of ${path} cannot be on percent_scale ${check.scale} (a ratio above 1.5): the upstream sends 0–100 here: set percent_scale: 100 on it`;
    }
    if (check.scale !== 100) return undefined;
    const polls = check.withinOne && check.someAboveZero ? (this.small.get(path) ?? 0) + 1 : check.withinOne ? (this.small.get(path) ?? 0) : 0;
    this.small.set(path, polls);
    if (polls < SMALL_VALUE_POLLS) return undefined;
    return `percent values of ${path} all lay within 0–1 over ${SMALL_VALUE_POLLS} polls on percent_scale 100: the upstream likely sends 0–1 here: set percent_scale: 1 on it`;
  }
}
