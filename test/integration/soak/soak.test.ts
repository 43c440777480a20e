// A short soak in CI: 30 s is enough for two rounds of every fault (11 kinds, about a second each) and
// 20+ post-GC heap samples after an 8 s warm-up; the figures of a long run are in the soak script's report.
import { describe, expect, it } from "vitest";
import { FAULTS, formatReport, parseSoakArgs, runSoak, steadyGrowth } from "../../../scripts/soak.js";

describe("soak", () => {
  it("survives every fault with bounded memory and series, and every scrape answered", async () => {
    const report = await runSoak({ durationMs: 30_000, warmupMs: 8_000, intervalMs: 200, scrapers: 4, seed: 7 });
    console.log(formatReport(report));
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    // Every kind of fault was played and recovered (the deck deals each once per round).
    expect(new Set(report.faults.map((run) => run.fault))).toEqual(new Set(FAULTS.map((fault) => fault.name)));
    expect(report.faults.every((run) => run.recoveryMs !== undefined)).toBe(true);
    // The faults were real: the exporter counted failures of several kinds, and still polled most of the time.
    expect(Object.keys(report.errors).length).toBeGreaterThanOrEqual(5);
    expect(report.polls).toBeGreaterThan(50);
    expect(report.series.last).toBeGreaterThan(0);
    expect(report.series.max).toBeLessThanOrEqual(report.series.bound);
    expect(report.scrapes.count).toBeGreaterThan(500);
  }, 90_000);
});

describe("steadyGrowth", () => {
  it("sees a steady climb and ignores a single spike", () => {
    const climbing = Array.from({ length: 20 }, (_, i) => 20 + i);
    expect(steadyGrowth(climbing)).toBeGreaterThan(10);
    const flatWithSpike = [20, 21, 20, 35, 20, 21, 20, 20, 21, 20, 20, 21];
    expect(Math.abs(steadyGrowth(flatWithSpike))).toBeLessThanOrEqual(1);
  });
});

describe("parseSoakArgs", () => {
  it("reads durations and counts, and rejects bad ones by name", () => {
    const options = parseSoakArgs(["--duration", "2m", "--interval", "500ms", "--agents", "100", "--seed", "3"]);
    expect(options).toMatchObject({ durationMs: 120_000, intervalMs: 500, agents: 100, seed: 3, warmupMs: 15_000 });
    expect(parseSoakArgs(["--duration", "20s"]).warmupMs).toBe(5_000);
    expect(() => parseSoakArgs(["--duration", "soon"])).toThrow(/--duration/);
    expect(() => parseSoakArgs(["--agents", "0"])).toThrow(/--agents/);
  });
});
