// Printed tables of a benchmark result, and the goals of issue 7 checked against it.
import type { BenchResult, Concurrency, Encoding, SizeResult } from "./harness.js";

export interface GoalCheck {
  goal: string;
  figure: string;
  ok: boolean;
}

const CASES: [Encoding, Concurrency][] = [
  ["plain", "c1"],
  ["plain", "c10"],
  ["gzip", "c1"],
  ["gzip", "c10"],
];
const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "-");

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function checkGoals(size: SizeResult): GoalCheck[] {
  const worstFloor = Math.max(...CASES.map(([e, c]) => size.ratios.vsFloor[e][c]));
  const worstNaive = Math.max(...CASES.map(([e, c]) => size.ratios.vsNaive[e][c]));
  const p = size.processing.ours;
  const block = Math.max(p.longestBlockMs, size.longestBlockUnderLoadMs);
  const u = size.upstream;
  return [
    { goal: "scrape median <= 1.5x static floor (worst case)", figure: `${fmt(worstFloor, 2)}x`, ok: worstFloor <= 1.5 },
    { goal: ">= 20x faster than naive prom-client (worst case)", figure: `${fmt(1 / worstNaive, 1)}x`, ok: 1 / worstNaive >= 20 },
    { goal: "poll processing < 300 ms (max)", figure: `${fmt(p.maxMs)} ms`, ok: p.maxMs < 300 },
    { goal: "no event-loop block > 50 ms (polls, scrape load)", figure: `${fmt(p.longestBlockMs)} / ${fmt(size.longestBlockUnderLoadMs)} ms`, ok: block <= 50 },
    { goal: "/healthz answers during processing (slowest)", figure: `${fmt(p.healthzDuringMaxMs)} ms (${p.healthzProbes} probes)`, ok: p.healthzProbes > 0 && p.healthzDuringMaxMs < 50 },
    { goal: "RSS < 250 MB", figure: `${fmt(size.memory.ours.rssMB)} MB`, ok: size.memory.ours.rssMB < 250 },
    {
      goal: "one data request per poll interval (10 scrapers)",
      figure: `${u.dataRequests} in ${fmt(u.intervals)} intervals`,
      ok: u.dataRequests <= Math.ceil(u.intervals) + 1 && u.dataRequests >= Math.floor(u.intervals) - 1,
    },
    {
      goal: "freshness <= interval + 50 ms (max)",
      figure: `${fmt(size.freshness.maxMs, 0)} ms (median ${fmt(size.freshness.medianMs, 0)})`,
      ok: size.freshness.maxMs <= size.freshness.intervalMs + 50,
    },
  ];
}

export function formatReport(result: BenchResult): string {
  const m = result.machine;
  const out: string[] = [`Machine: ${m.cpus}, ${m.cores} cores, ${m.memoryGB} GB, Node ${m.node}, ${m.platform}; poll interval ${result.options.intervalMs} ms${result.options.quick ? ", quick" : ""}${result.options.fromSource ? ", from the sources (tsx: ~60 MB more RSS)" : ""}`];
  for (const size of result.sizes) {
    out.push("", `== ${size.size} (${size.series} series, ${size.agents} agents; body ${fmt(size.scrape.ours.plain.c1.bytes / 2 ** 20, 2)} MB plain, ${fmt(size.scrape.ours.gzip.c1.bytes / 2 ** 20, 2)} MB gzip) ==`);
    out.push(
      table(
        ["scrape ms (median / p99)", "ours", "naive", "floor", "ours/naive", "ours/floor"],
        CASES.map(([e, c]) => [
          `${e}, ${c === "c1" ? "1 scraper" : "10 scrapers"}`,
          `${fmt(size.scrape.ours[e][c].median)} / ${fmt(size.scrape.ours[e][c].p99)}`,
          `${fmt(size.scrape.naive[e][c].median)} / ${fmt(size.scrape.naive[e][c].p99)}`,
          `${fmt(size.scrape.floor[e][c].median)} / ${fmt(size.scrape.floor[e][c].p99)}`,
          fmt(size.ratios.vsNaive[e][c], 3),
          fmt(size.ratios.vsFloor[e][c], 2),
        ]),
      ),
    );
    const po = size.processing.ours;
    const pn = size.processing.naive;
    out.push(
      "",
      table(
        ["poll processing", "polls", "median ms", "max ms", "parse", "render", "compress", "longest block", "healthz max", "RSS MB", "heap MB"],
        [
          ["ours (worker thread)", String(po.polls), fmt(po.medianMs), fmt(po.maxMs), fmt(po.parseMs), fmt(po.renderMs), fmt(po.compressMs), fmt(po.longestBlockMs), fmt(po.healthzDuringMaxMs), fmt(size.memory.ours.rssMB), fmt(size.memory.ours.heapUsedMB)],
          ["naive (parse + set gauges)", String(pn.polls), fmt(pn.medianMs), fmt(pn.maxMs), fmt(pn.parseMs), fmt(pn.renderMs), "-", fmt(pn.longestBlockMs), fmt(pn.healthzDuringMaxMs), fmt(size.memory.naive.rssMB), fmt(size.memory.naive.heapUsedMB)],
        ],
      ),
    );
    out.push(
      "",
      `freshness at ${size.freshness.intervalMs} ms polls: median ${fmt(size.freshness.medianMs, 0)} ms, max ${fmt(size.freshness.maxMs, 0)} ms (${size.freshness.samples.length} samples); ` +
        `upstream: ${size.upstream.dataRequests} data requests in ${fmt(size.upstream.intervals)} intervals with ${size.upstream.scrapers} scrapers; ` +
        `longest block under scrape load ${fmt(size.longestBlockUnderLoadMs)} ms (longest GC pause ${fmt(size.longestGcUnderLoadMs)} ms; ` +
        `during polls alone ${fmt(size.processing.ours.longestGcMs)} ms); ` +
        `RSS before any scrape ${fmt(size.memory.ours.rssBeforeScrapesMB)} MB (naive ${fmt(size.memory.naive.rssBeforeScrapesMB)}), external ${fmt(size.memory.ours.externalMB)} MB`,
      "",
      table(["goal", "measured", ""], checkGoals(size).map((g) => [g.goal, g.figure, g.ok ? "ok" : "MISSED"])),
    );
  }
  return out.join("\n");
}
