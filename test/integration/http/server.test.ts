import express from "express";
import zlib from "node:zlib";
import pino from "pino";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { prepareStatistics } from "../../../src/exposition/prepared-statistics.js";
import { type AppDeps, type ExporterStatus, type RunningServer, createApp, listen } from "../../../src/http/server.js";

const baseStatus: ExporterStatus = {
  version: "1.2.3",
  upstreamUrl: "https://bp.example.com",
  tenantUrl: "example.brightpattern.com",
  authMethod: "oauth",
  state: "polling",
  ready: true,
  series: 1,
  lastSuccessAt: Date.UTC(2026, 0, 1),
};

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function serve(overrides: Partial<AppDeps> = {}, status: Partial<ExporterStatus> = {}) {
  const prepared = await prepareStatistics('brightpattern_in_calls_waiting{app_id="w"} 3\n');
  const app = createApp({
    metricsPath: "/metrics",
    statistics: () => prepared,
    selfMetrics: async () => "brightpattern_up 1\n",
    status: () => ({ ...baseStatus, ...status }),
    logger: pino({ level: "silent" }),
    ...overrides,
  });
  running = await listen(app, "127.0.0.1:0");
  return running.url;
}

describe("HTTP server", () => {
  it("serves statistics and self-metrics as text format 0.0.4", async () => {
    const url = await serve();
    const res = await request(`${url}/metrics`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(await res.body.text()).toBe('brightpattern_in_calls_waiting{app_id="w"} 3\nbrightpattern_up 1\n');
  });

  it("gzips when asked, and not when gzip is refused", async () => {
    const url = await serve();
    const gz = await request(`${url}/metrics`, { headers: { "accept-encoding": "gzip" } });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(Buffer.from(await gz.body.arrayBuffer())).toString()).toBe('brightpattern_in_calls_waiting{app_id="w"} 3\nbrightpattern_up 1\n');
    const refused = await request(`${url}/metrics`, { headers: { "accept-encoding": "gzip;q=0, identity" } });
    expect(refused.headers["content-encoding"]).toBeUndefined();
    await refused.body.text();
  });

  it("honours a custom metrics path", async () => {
    const url = await serve({ metricsPath: "/stats" });
    expect((await request(`${url}/stats`)).statusCode).toBe(200);
    const old = await request(`${url}/metrics`);
    expect(old.statusCode).toBe(404);
    await old.body.text();
  });

  it("answers /healthz always and /readyz by readiness", async () => {
    const url = await serve({}, { ready: false, lastSuccessAt: undefined });
    expect((await request(`${url}/healthz`)).statusCode).toBe(200);
    const ready = await request(`${url}/readyz`);
    expect(ready.statusCode).toBe(503);
    expect(await ready.body.text()).toContain("no data yet");
  });

  it("shows state on the landing page with hostile strings escaped", async () => {
    const url = await serve({}, { lastError: { reason: "bad_request", message: '<script>alert("x")</script>', at: 0 } });
    const html = await (await request(`${url}/`)).body.text();
    expect(html).toContain("1.2.3");
    expect(html).toContain("https://bp.example.com");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).not.toContain('<script>alert("x")'); // the page's own script is its clock, not this
  });

  it("reloads through POST /-/reload and reports a failed reload as 500", async () => {
    let ok = true;
    const url = await serve({ reload: async () => ({ ok, message: ok ? "reloaded" : "config invalid" }) });
    const good = await request(`${url}/-/reload`, { method: "POST" });
    expect([good.statusCode, await good.body.text()]).toEqual([200, "reloaded\n"]);
    ok = false;
    const bad = await request(`${url}/-/reload`, { method: "POST" });
    expect([bad.statusCode, await bad.body.text()]).toEqual([500, "config invalid\n"]);
  });

  it("refuses /-/reload with 403 when the lifecycle endpoint is not enabled", async () => {
    const url = await serve();
    const res = await request(`${url}/-/reload`, { method: "POST" });
    expect(res.statusCode).toBe(403);
    expect(await res.body.text()).toContain("web.enable_lifecycle");
  });

  it("refuses a cross-origin POST /-/reload (a page in a browser), and takes one from the same origin or none", async () => {
    let reloads = 0;
    const url = await serve({ reload: async () => ({ ok: true, message: `reload ${++reloads}` }) });
    for (const headers of [
      { origin: "http://evil.example", "content-type": "text/plain" },
      { origin: "null", "content-type": "application/x-www-form-urlencoded" },
      { "sec-fetch-site": "cross-site", "content-type": "text/plain" },
      { "sec-fetch-site": "same-site" },
    ]) {
      const res = await request(`${url}/-/reload`, { method: "POST", headers, body: "x" });
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(await res.body.text()).toContain("cross-origin");
    }
    expect(reloads).toBe(0);
    const own = await request(`${url}/-/reload`, { method: "POST", headers: { origin: url, "sec-fetch-site": "same-origin" } });
    expect([own.statusCode, await own.body.text()]).toEqual([200, "reload 1\n"]);
    const curl = await request(`${url}/-/reload`, { method: "POST" });
    expect([curl.statusCode, await curl.body.text()]).toEqual([200, "reload 2\n"]);
  });

  it("keeps answering when rendering the self-metrics fails", async () => {
    const url = await serve({ selfMetrics: async () => Promise.reject(new Error("boom")) });
    const res = await request(`${url}/metrics`);
    expect(res.statusCode).toBe(500);
    await res.body.text();
    expect((await request(`${url}/healthz`)).statusCode).toBe(200);
  });

  it("guards metrics and the landing page but not the probes", async () => {
    const url = await serve({ guard: (_req, res) => void res.status(401).end() });
    expect((await request(`${url}/metrics`)).statusCode).toBe(401);
    expect((await request(`${url}/`)).statusCode).toBe(401);
    expect((await request(`${url}/healthz`)).statusCode).toBe(200);
    expect((await request(`${url}/readyz`)).statusCode).toBe(200);
  });
});

describe("listen", () => {
  it("refuses an address the config would refuse, with the expected forms", async () => {
    await expect(listen(express(), "[not-an-ip]:80")).rejects.toThrow(/listen address "\[not-an-ip\]:80": expected \[host\]:port/);
  });
});
