// The benchmark at a small size, so it cannot rot: every figure must be produced (finite, plausible in
// kind). No timing assertions: CI machines vary.
import { describe, expect, it } from "vitest";
import { runBenchmark } from "../../../bench/harness.js";
import { checkGoals, formatReport } from "../../../bench/report.js";

describe("npm run bench (smoke)", () => {
  it("measures every figure for every server at a small size", { timeout: 120_000 }, async () => {
    const result = await runBenchmark({ sizes: ["300"], quick: true, fromSource: true, intervalMs: 250 });
    expect(result.sizes).toHaveLength(1);
    const [size] = result.sizes;
    expect(size!.series).toBe(300);
    for (const kind of ["ours", "naive", "floor"] as const) {
      for (const encoding of ["plain", "gzip"] as const) {
        for (const concurrency of ["c1", "c10"] as const) {
          const stats = size!.scrape[kind][encoding][concurrency];
          expect(stats.n, `${kind} ${encoding} ${concurrency}`).toBeGreaterThanOrEqual(concurrency === "c1" ? 1 : 10);
          expect(stats.median).toBeGreaterThan(0);
          expect(stats.p99).toBeGreaterThanOrEqual(stats.median);
          expect(stats.bytes).toBeGreaterThan(0);
        }
      }
      // The same exposition compresses: gzip bodies are smaller than plain ones.
      expect(size!.scrape[kind].gzip.c1.bytes).toBeLessThan(size!.scrape[kind].plain.c1.bytes);
    }
    for (const ratio of [...Object.values(size!.ratios.vsNaive), ...Object.values(size!.ratios.vsFloor)].flatMap(Object.values)) {
      expect(Number.isFinite(ratio) && ratio > 0).toBe(true);
    }
    const { ours, naive } = size!.processing;
    for (const figures of [ours, naive]) {
      expect(figures.polls).toBeGreaterThanOrEqual(1);
      expect(Number.isFinite(figures.maxMs) && figures.maxMs >= figures.medianMs).toBe(true);
      expect(figures.longestBlockMs).toBeGreaterThan(0);
    }
    // At this size a poll is processed in a few ms, so a probe may not land inside one; at bench sizes it does.
    expect(ours.healthzProbes > 0 || ours.maxMs < 10, `no /healthz probe during ${ours.polls} polls of up to ${ours.maxMs} ms`).toBe(true);
    expect(ours.parseMs + ours.renderMs + ours.compressMs).toBeGreaterThan(0);
    for (const memory of [size!.memory.ours, size!.memory.naive]) {
      expect(memory.rssMB).toBeGreaterThan(memory.heapUsedMB);
      expect(memory.rssBeforeScrapesMB).toBeGreaterThan(0);
    }
    expect(size!.freshness.samples).toHaveLength(2);
    expect(size!.freshness.samples.every((ms) => ms > 0)).toBe(true);
    expect(size!.upstream.dataRequests).toBeGreaterThan(0);
    expect(size!.upstream.intervals).toBeGreaterThan(0);

    const goals = checkGoals(size!);
    expect(goals.map((g) => g.goal)).toHaveLength(8);
    const report = formatReport(result);
    for (const goal of goals) expect(report).toContain(goal.goal);
    expect(report).toContain(`${size!.series} series`);
  });
});
