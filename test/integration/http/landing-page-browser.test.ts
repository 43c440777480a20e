// The landing page in a real browser: Debian's headless Chromium (`apt-get install chromium`; .ci/run
// installs it) driven by playwright-core, against the demo (simulator + exporter). It checks what the page
// shows an operator, at a phone's width and on a desktop, in a time zone that is not UTC, and keeps both
// screenshots in .tmp/ to look at. And with tenants (one with wrong credentials): the page sums them up truthfully
// and has a card per tenant. Without Chromium it skips, saying so, except in CI, where it must run.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { type Demo, startDemo } from "../../../src/exporter/demo.js";
import { loadCheckedConfigFile } from "../../../src/exporter/checked-config.js";
import { type Exporter, startExporter } from "../../../src/exporter/exporter.js";
import { type Simulator, startSimulator } from "../../../src/simulator/index.js";
import { ROOT, tempConfig } from "../../support/cli.js";
import { eventually } from "../../support/eventually.js";
import { tenantsConfigText } from "../../support/tenants.js";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const SCREENSHOTS = join(ROOT, ".tmp");
const PHONE = { width: 390, height: 844 };

const available = existsSync(CHROMIUM);
if (!available && process.env.CI === undefined) {
  console.warn(`landing page browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM=/path)`);
}

async function launchBrowser(): Promise<Browser> {
  if (!available) throw new Error(`CI must run the landing page test: no Chromium at ${CHROMIUM} (.ci/run installs it with apt-get install chromium)`);
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/** The page at `url` in a fresh context, in a time zone that is not UTC. */
async function openPage(browser: Browser, url: string, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, timezoneId: "America/New_York", locale: "en-US" });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

describe.skipIf(!available && process.env.CI === undefined)("the landing page in headless Chromium", () => {
  let demo: Demo;
  let browser: Browser;

  beforeAll(async () => {
    demo = await startDemo({ interval: "500ms" });
    await eventually(async () => ((await (await fetch(demo.metricsUrl)).text()).includes("brightpattern_agent_state{") ? true : undefined), 20_000, "demo data");
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  const open = (viewport: { width: number; height: number }) => openPage(browser, `${demo.exporterUrl}/`, viewport);

  it("at a phone's width: the state in words, the data age in local time, the links; nothing wider than the screen", async () => {
    const page = await open(PHONE);
    await page.screenshot({ path: join(SCREENSHOTS, "landing-page-phone.png"), fullPage: true });
    const text = await page.locator("body").innerText();
    expect(text).toContain("Collecting data: the Stats API answers and the numbers are fresh.");
    expect(text).toMatch(/Last data\n.*\d+ s ago/);
    expect(text).toContain("Statistic series");
    expect(text).toContain("brightpattern-wallboard.json");
    // Local time in the browser's zone (New York is UTC-4/-5), not the UTC ISO the server wrote.
    const shown = await page.locator("time").first().innerText();
    const iso = (await page.locator("time").first().getAttribute("datetime")) ?? "";
    expect(shown).toContain(new Date(iso).toLocaleString("en-US", { timeZone: "America/New_York" }));
    expect(shown).not.toContain("Z");
    expect(await page.locator(`a[href="${new URL(demo.metricsUrl).pathname}"]`).count()).toBe(1);
    // Readable on a phone: no sideways scrolling, the cards stacked at full width, text not tiny.
    // Evaluated in the page (a string: the project's types have no DOM).
    const layout = (await page.evaluate(`({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      cards: [...document.querySelectorAll(".card")].map((card) => card.getBoundingClientRect()).map((r) => ({ left: r.left, width: r.width })),
      fontSize: Number.parseFloat(getComputedStyle(document.body).fontSize),
    })`)) as { scrollWidth: number; innerWidth: number; cards: { left: number; width: number }[]; fontSize: number };
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    expect(layout.cards).toHaveLength(3);
    for (const card of layout.cards) expect(card.width).toBeGreaterThan(PHONE.width * 0.85);
    expect(new Set(layout.cards.map((card) => Math.round(card.left))).size).toBe(1);
    expect(layout.fontSize).toBeGreaterThanOrEqual(16);
    await page.context().close();
  });

  it("on a desktop: the cards side by side; the ages tick and the page reloads itself", async () => {
    const page = await open({ width: 1280, height: 800 });
    await page.screenshot({ path: join(SCREENSHOTS, "landing-page-desktop.png"), fullPage: true });
    const lefts = (await page.evaluate(`[...document.querySelectorAll(".card")].map((card) => Math.round(card.getBoundingClientRect().left))`)) as number[];
    expect(new Set(lefts).size).toBeGreaterThan(1);
    expect(await page.locator('meta[http-equiv="refresh"]').getAttribute("content")).toMatch(/^\d+$/);
    // A reload brings a newer poll: the page is loaded anew without anyone touching it.
    // Asked while the reload runs, evaluate fails ("context destroyed"): that counts as not yet.
    const loadedAt = async () => ((await page.evaluate("performance.timeOrigin").catch(() => 0)) as number);
    const firstLoad = await loadedAt();
    await eventually(async () => ((await loadedAt()) > firstLoad ? true : undefined), 30_000, "the page to reload itself");
    await page.context().close();
  }, 40_000);
});

describe.skipIf(!available && process.env.CI === undefined)("the landing page with tenants in headless Chromium", () => {
  let sim: Simulator;
  let exporter: Exporter;
  let browser: Browser;
  const WRONG = "wrong-credentials";

  beforeAll(async () => {
    sim = await startSimulator({ tenants: 3, warmupPolls: 0, tickMs: 0 });
    const specs = [
      { name: "acme", url: sim.url, tenantUrl: sim.tenants[0]! },
      { name: "globex", url: sim.url, tenantUrl: sim.tenants[1]! },
      { name: WRONG, url: sim.url, tenantUrl: sim.tenants[2]!, secret: "not-the-secret" },
    ];
    const path = await tempConfig(tenantsConfigText(specs, { interval: "500ms", stale_after: "30s" }));
    exporter = await startExporter({ ...(await loadCheckedConfigFile(path, {})), logger: pino({ level: "silent" }) });
    await eventually(async () => {
      const text = await (await fetch(`${exporter.url}/metrics`)).text();
      return text.includes('brightpattern_up{tenant="acme"} 1') && text.includes('brightpattern_up{tenant="globex"} 1') && text.includes(`brightpattern_errors_total{reason="login_rejected",tenant="${WRONG}"}`);
    }, 20_000, "two tenants up, one refused");
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await exporter?.stop();
    await sim?.close();
  });

  const open = (viewport: { width: number; height: number }) => openPage(browser, `${exporter.url}/`, viewport);

  it("at a phone's width: the banner and the data sum the tenants up truthfully; a card per tenant, stacked, with its state in words", async () => {
    const page = await open(PHONE);
    await page.screenshot({ path: join(SCREENSHOTS, "landing-page-tenants-phone.png"), fullPage: true });
    // Two tenants have fresh data and one is refused: not "waiting for the first data", not "never".
    const banner = await page.locator(".banner").innerText();
    expect(banner).toBe("1 of 3 tenants is not collecting fresh data: see Tenants below.");
    expect(await page.locator(".banner").getAttribute("class")).toContain("bad");
    const data = await page.locator(".card", { hasText: "Statistic series" }).innerText();
    expect(data).toMatch(/Tenants ready\n2 of 3/);
    expect(data).toMatch(/Last data\n.*\d+ s ago/);
    expect(data).not.toContain("never");

    const cards = page.locator(".card.tenant");
    expect(await cards.count()).toBe(3);
    for (const name of ["acme", "globex"]) {
      const card = cards.filter({ hasText: name });
      expect(await card.getAttribute("class"), name).toContain("good");
      expect(await card.innerText(), name).toMatch(/Last data\n.*\d+ s ago/);
      expect(await card.locator(`a[href="/metrics?tenant=${name}"]`).count(), name).toBe(1);
    }
    const wrong = cards.filter({ hasText: WRONG });
    expect(await wrong.getAttribute("class")).toContain("bad");
    expect(await wrong.innerText()).toContain("The Stats API rejected the login");
    expect(await wrong.innerText()).toMatch(/Last data\nnever/);

    const layout = (await page.evaluate(`({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      cards: [...document.querySelectorAll(".card.tenant")].map((card) => card.getBoundingClientRect()).map((r) => ({ left: r.left, width: r.width })),
    })`)) as { scrollWidth: number; innerWidth: number; cards: { left: number; width: number }[] };
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    for (const card of layout.cards) expect(card.width).toBeGreaterThan(PHONE.width * 0.85);
    expect(new Set(layout.cards.map((card) => Math.round(card.left))).size).toBe(1);
    await page.context().close();
  });

  it("on a desktop: the tenant cards side by side; a tenant's link opens its own scrape target", async () => {
    const page = await open({ width: 1280, height: 800 });
    await page.screenshot({ path: join(SCREENSHOTS, "landing-page-tenants-desktop.png"), fullPage: true });
    const lefts = (await page.evaluate(`[...document.querySelectorAll(".card.tenant")].map((card) => Math.round(card.getBoundingClientRect().left))`)) as number[];
    expect(new Set(lefts).size).toBeGreaterThan(1);
    await page.locator('a[href="/metrics?tenant=globex"]').click();
    const body = await page.locator("body").innerText();
    expect(body).toContain('brightpattern_up{tenant="globex"} 1');
    expect(body).not.toContain('tenant="acme"');
    await page.context().close();
  });
});
