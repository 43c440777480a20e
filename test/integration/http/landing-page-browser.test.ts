// The landing page in a real browser: Debian's headless Chromium (`apt-get install chromium`; .ci/run
// installs it) driven by playwright-core, against the demo (simulator + exporter). It checks what the page
// shows an operator, at a phone's width and on a desktop, in a time zone that is not UTC, and keeps both
// screenshots in .tmp/ to look at. Without Chromium it skips, saying so, except in CI, where it must run.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Demo, startDemo } from "../../../src/exporter/demo.js";
import { ROOT } from "../../support/cli.js";
import { eventually } from "../../support/eventually.js";

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

describe.skipIf(!available && process.env.CI === undefined)("the landing page in headless Chromium", () => {
  let demo: Demo;
  let browser: Browser;

  beforeAll(async () => {
    if (!available) throw new Error(`CI must run the landing page test: no Chromium at ${CHROMIUM} (.ci/run installs it with apt-get install chromium)`);
    demo = await startDemo({ interval: "500ms" });
    await eventually(async () => ((await (await fetch(demo.metricsUrl)).text()).includes("brightpattern_agent_state{") ? true : undefined), 20_000, "demo data");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    await mkdir(SCREENSHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  async function open(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport, timezoneId: "America/New_York", locale: "en-US" });
    const page = await context.newPage();
    await page.goto(`${demo.exporterUrl}/`);
    return page;
  }

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
