// Content negotiation on the real exporter (the demo): OpenMetrics 1.0 when the scraper prefers it, as
// Prometheus does; the text format 0.0.4 otherwise; both gzipped on request. Each is checked with
// promtool: `check metrics` for the text format, Prometheus's OpenMetrics parser for OpenMetrics.
import zlib from "node:zlib";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Demo, startDemo } from "../../../src/exporter/demo.js";
import { promtool } from "../../unit/prometheus/promtool.js";
import { checkOpenMetrics } from "../../support/openmetrics-check.js";
import { eventually } from "../../support/eventually.js";

const PROMETHEUS_ACCEPT =
  "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

let demo: Demo;
beforeAll(async () => {
  // A contact center that does not move (no ticks): every poll has the same statistics, in both formats.
  demo = await startDemo({ interval: "500ms", simulator: { tickMs: 0 } });
  await eventually(async () => ((await (await fetch(demo.metricsUrl)).text()).includes("brightpattern_agent_state{") ? true : undefined), 20_000, "agent rows");
}, 30_000);
afterAll(async () => {
  await demo?.stop();
});

async function scrape(headers: Record<string, string>): Promise<{ type: string | null; vary: string | null; body: string }> {
  const response = await fetch(demo.metricsUrl, { headers: { "accept-encoding": "identity", ...headers } });
  return { type: response.headers.get("content-type"), vary: response.headers.get("vary"), body: await response.text() };
}

/** The statistic samples (not the self-metrics, which change between scrapes). */
const statisticSamples = (body: string) => body.split("\n").filter((line) => /^brightpattern_(agent|service|in_|agents_|chat_)/.test(line));

describe("OpenMetrics", () => {
  it("is served to Prometheus's Accept header: its own types, units, the counters' families, # EOF at the end", async () => {
    const { type, vary, body } = await scrape({ accept: PROMETHEUS_ACCEPT });
    expect(type).toBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
    expect(vary).toBe("Accept, Accept-Encoding");
    expect(body.endsWith("\n# EOF\n")).toBe(true);
    expect(body.match(/^# EOF$/gm)).toHaveLength(1);
    expect(body).toContain("# TYPE brightpattern_agent_state stateset\n");
    expect(body).toContain("# TYPE brightpattern_agent info\n");
    expect(body).toMatch(/^brightpattern_agent_info\{/m);
    expect(body).toContain("# TYPE brightpattern_in_max_wait_time_seconds gauge\n# UNIT brightpattern_in_max_wait_time_seconds seconds\n");
    expect(body).toContain("# UNIT brightpattern_service_level_ratio ratio\n");
    expect(body).toContain("# TYPE brightpattern_errors counter\n");
    expect(body).toContain("# TYPE brightpattern_up gauge\n");
    const check = await checkOpenMetrics(body);
    expect(check.output).not.toMatch(/error|invalid/i);
    expect(check.code).toBe(0);
  });

  it("has the same statistic samples as the text format, which stays the default and passes promtool check metrics", async () => {
    const [openMetrics, text] = [await scrape({ accept: PROMETHEUS_ACCEPT }), await scrape({})];
    expect(text.type).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(text.body).not.toContain("# EOF");
    expect(text.body).toContain("# TYPE brightpattern_agent_state gauge\n");
    expect(statisticSamples(text.body).length).toBeGreaterThan(100);
    expect(statisticSamples(openMetrics.body)).toEqual(statisticSamples(text.body));
    expect((await promtool(["check", "metrics"], text.body)).output.trim()).toBe("");
  });

  it("gzips both formats into valid bodies", async () => {
    for (const accept of [PROMETHEUS_ACCEPT, "text/plain"]) {
      // undici's request leaves the body as sent (fetch would gunzip it)
      const zipped = await request(demo.metricsUrl, { headers: { accept, "accept-encoding": "gzip" } });
      expect(zipped.headers["content-encoding"]).toBe("gzip");
      const body = zlib.gunzipSync(Buffer.from(await zipped.body.arrayBuffer())).toString("utf8");
      expect(statisticSamples(body)).toEqual(statisticSamples((await scrape({ accept })).body));
      expect(body.endsWith("\n# EOF\n")).toBe(accept === PROMETHEUS_ACCEPT);
    }
  });
});
