import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { StatisticsExposition } from "../../../src/metrics/exposition.js";

const rendered = (text: string, series = 1) => ({ text, series });

describe("StatisticsExposition", () => {
  it("starts empty", () => {
    const current = new StatisticsExposition().current();
    expect(current.plain.length).toBe(0);
    expect(gunzipSync(current.gzip).length).toBe(0);
    expect(current).toMatchObject({ series: 0, updatedAt: undefined });
  });

  it("serves the text as plain bytes and as gzip that inflates to the same bytes", async () => {
    const exposition = new StatisticsExposition(() => 1234);
    const text = `# HELP a_calls Calls.\n# TYPE a_calls gauge\n${'a_calls{agent="Zoë 🎧"} 1\n'.repeat(1000)}`;
    await exposition.update(rendered(text, 1000));
    const current = exposition.current();
    expect(current.plain.toString("utf8")).toBe(text);
    expect(gunzipSync(current.gzip).equals(current.plain)).toBe(true);
    expect(current.gzip.length).toBeLessThan(current.plain.length / 10);
    expect(current).toMatchObject({ series: 1000, updatedAt: 1234 });
  });

  it("never pairs plain and gzip of different polls, and the newest update wins", async () => {
    const exposition = new StatisticsExposition();
    const big = "x 1\n".repeat(200_000);
    const slow = exposition.update(rendered(big, 1));
    const fast = exposition.update(rendered("y 2\n", 2));
    await Promise.all([slow, fast]);
    const current = exposition.current();
    expect(current.plain.toString()).toBe("y 2\n");
    expect(gunzipSync(current.gzip).toString()).toBe("y 2\n");
    expect(current.series).toBe(2);
  });

  it("clear() drops the statistics, including an update still compressing", async () => {
    const exposition = new StatisticsExposition();
    await exposition.update(rendered("a 1\n"));
    const pending = exposition.update(rendered("b 1\n"));
    exposition.clear();
    await pending;
    expect(exposition.current()).toMatchObject({ series: 0, updatedAt: undefined });
    expect(exposition.current().plain.length).toBe(0);
  });
});
