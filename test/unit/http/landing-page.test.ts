import { describe, expect, it } from "vitest";
import { landingPage, reasonInWords } from "../../../src/http/landing-page.js";
import type { ExporterStatus } from "../../../src/http/server.js";
import { ERROR_REASONS } from "../../../src/statsapi/errors.js";

const base: ExporterStatus = {
  version: "1.2.3",
  upstreamUrl: "https://bp.example.com",
  tenantUrl: "example.brightpattern.com",
  authMethod: "oauth",
  state: "polling",
  ready: true,
  series: 452,
  lastPollAt: Date.UTC(2026, 11, 1, 9, 0, 3),
  lastSuccessAt: Date.UTC(2026, 11, 1, 9, 0, 3),
};

describe("landingPage", () => {
  it("says in words how the upstream is: fresh, waiting for the first data, failing, stale", () => {
    expect(landingPage(base, "/metrics")).toContain('class="banner good"');
    expect(landingPage({ ...base, ready: false, state: "authenticating", lastSuccessAt: undefined }, "/metrics")).toContain("Waiting for the first data (authenticating).");
    const failing = landingPage({ ...base, ready: false, state: "backoff", lastError: { reason: "login_rejected", message: "POST /token: 401", at: Date.UTC(2026, 11, 1, 9, 0, 9) } }, "/metrics");
    expect(failing).toContain('class="banner bad"');
    expect(failing).toContain("The Stats API rejected the login: check the client id and secret");
    expect(failing).toContain("<code>login_rejected</code>");
    expect(landingPage({ ...base, ready: false }, "/metrics")).toContain("The data is stale");
  });

  it("writes times for the browser to show locally (UTC ISO without script), reloads itself, fits a phone", () => {
    const html = landingPage(base, "/stats");
    expect(html).toContain(`<time datetime="2026-12-01T09:00:03.000Z" data-at="${Date.UTC(2026, 11, 1, 9, 0, 3)}">`);
    expect(html).toMatch(/<meta http-equiv="refresh" content="\d+">/);
    expect(html).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect(html).toContain('<a href="/stats">Metrics</a>');
    expect(html).toContain("452");
  });

  it("with tenants, sums them up: all fresh, some waiting for their first data, some failing; never 'never' while one has data", () => {
    const fresh = { ...base, name: "acme" };
    const waiting = { ...base, name: "new", ready: false, state: "authenticating", lastPollAt: undefined, lastSuccessAt: undefined };
    const refused = { ...waiting, name: "bad", state: "backoff", lastError: { reason: "login_rejected", message: "401", at: Date.UTC(2026, 11, 1, 9, 0, 9) } };
    const page = (tenants: (typeof fresh)[]) => landingPage({ ...base, ready: tenants.every((t) => t.ready), tenants }, "/metrics");
    expect(page([fresh, { ...fresh, name: "globex" }])).toContain("Collecting data for all 2 tenants");
    expect(page([fresh, waiting])).toContain('<div class="banner waiting" role="status">Waiting for the first data of 1 of 2 tenants.</div>');
    const failing = page([fresh, waiting, refused]);
    expect(failing).toContain('<div class="banner bad" role="status">2 of 3 tenants are not collecting fresh data: see Tenants below.</div>');
    expect(failing).toMatch(/Tenants ready<\/dt><dd>1 of 3/);
    expect(failing).toContain("in 1 tenant, see below");
    expect(failing).toContain(`<time datetime="2026-12-01T09:00:03.000Z"`);
    expect(page([waiting])).toMatch(/Last data<\/dt><dd><span class="never">never<\/span>/);
  });

  it("has words for every error reason", () => {
    for (const reason of ERROR_REASONS) expect(reasonInWords(reason), reason).not.toMatch(/^Error "/);
    expect(reasonInWords("something_new")).toBe('Error "something_new".');
  });
});
