// Huge bodies from one tenant's upstream do not hold up the other tenants: one upstream answers every data
// request with a body past the client's 64 MiB limit (sent chunked, so the client reads up to the limit to
// know), another with a 60 MB body under the limit that would be slow to parse (millions of small objects),
// then with 60 MB of `[],` that would fill the statistics worker's heap: both are refused unparsed, past the
// value budget of subscription-data.ts. The healthy tenants keep polling within two intervals and keep up 1
// throughout, with no error; the bad ones get their own up 0 and reason.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { DEFAULT_MAX_BODY_BYTES } from "../../../src/statsapi/http.js";
import { loadCheckedConfigFile } from "../../../src/exporter/checked-config.js";
import { type Exporter, startExporter } from "../../../src/exporter/exporter.js";
import { DATA_PATH } from "../../../src/simulator/faults.js";
import { type Simulator, startSimulator } from "../../../src/simulator/index.js";
import { tempConfig } from "../../support/cli.js";
import { eventually, sleep } from "../../support/eventually.js";
import { tenantsConfigText } from "../../support/tenants.js";
import { type SimulatorProcess, startSimulatorProcess } from "../faults/simulator-process.js";
import { readExposition } from "../../unit/metrics/exposition-reader.js";

const INTERVAL_MS = 1_500;
const HEALTHY = Array.from({ length: 6 }, (_, i) => `tenant-${String(i + 1).padStart(2, "0")}`);
const OVER_LIMIT = "over-limit";
const SLOW_PARSE = "slow-parse";
/** Answers every data request with a bloated body until the test ends. */
const FOREVER = 1_000_000;
const OVER_LIMIT_BYTES = DEFAULT_MAX_BODY_BYTES + (1 << 20);
const SLOW_PARSE_BYTES = 60 * 1024 * 1024;

let sim: Simulator;
let overLimit: SimulatorProcess;
let slowParse: SimulatorProcess;
let exporter: Exporter;

beforeAll(async () => {
  [sim, overLimit, slowParse] = await Promise.all([startSimulator({ tenants: HEALTHY.length, warmupPolls: 0, tickMs: 0 }), startSimulatorProcess(), startSimulatorProcess()]);
  const specs = [
    ...HEALTHY.map((name, i) => ({ name, url: sim.url, tenantUrl: sim.tenants[i]! })),
    { name: OVER_LIMIT, url: overLimit.url, tenantUrl: "demo.brightpattern.local" },
    { name: SLOW_PARSE, url: slowParse.url, tenantUrl: "demo.brightpattern.local" },
  ];
  const path = await tempConfig(tenantsConfigText(specs, { interval: `${INTERVAL_MS}ms`, max_backoff: "3s", stale_after: "30s" }, "20s"));
  exporter = await startExporter({ ...(await loadCheckedConfigFile(path, {})), logger: pino({ level: "silent" }) });
}, 30_000);

afterAll(async () => {
  // The child processes go even when the exporter's stop fails or hangs.
  try {
    await exporter?.stop();
  } finally {
    await Promise.allSettled([sim?.close(), overLimit?.close(), slowParse?.close()]);
  }
}, 30_000);

const scrape = async (query = "") => (await fetch(`${exporter.url}/metrics${query}`)).text();
const valueOf = (text: string, name: string, labels: Record<string, string>) =>
  readExposition(text).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

const malformed = (text: string, tenant: string) => valueOf(text, "brightpattern_errors_total", { tenant, reason: "malformed_response" }) ?? 0;

/**
 * Until each bad tenant has had three more bodies refused: every scrape meanwhile shows the healthy tenants
 * up, none of them has an error, and each got data at least every two intervals (the simulator's log).
 */
async function expectHealthyWhile(bad: readonly string[], before = 0): Promise<void> {
  const windowStart = Date.now();
  const healthyUp: number[] = [];
  for (;;) {
    const text = await scrape();
    for (const tenant of HEALTHY) healthyUp.push(valueOf(text, "brightpattern_up", { tenant }) ?? -1);
    if (bad.every((tenant) => malformed(text, tenant) >= before + 3)) break;
    if (Date.now() - windowStart > 60_000) throw new Error("three bloated bodies each were not refused within 60 s");
    await sleep(200);
  }
  const windowEnd = Date.now();
  expect(healthyUp.length).toBeGreaterThan(HEALTHY.length);
  expect(new Set(healthyUp)).toEqual(new Set([1]));
  const text = await scrape();
  for (const tenant of HEALTHY) expect(valueOf(text, "brightpattern_errors_total", { tenant }) ?? 0, tenant).toBe(0);
  for (const tenantUrl of sim.tenants) {
    const at = sim.requests.filter((r) => r.tenant === tenantUrl && r.path === DATA_PATH && r.status === 200 && r.at >= windowStart && r.at <= windowEnd).map((r) => r.at);
    expect(at.length, tenantUrl).toBeGreaterThanOrEqual(3);
    const points = [windowStart, ...at, windowEnd];
    const longestGap = Math.max(...points.slice(1).map((t, i) => t - points[i]!));
    expect(longestGap, `${tenantUrl}: longest wait for data`).toBeLessThanOrEqual(2 * INTERVAL_MS);
  }
}

describe("a tenant whose upstream sends huge bodies", () => {
  it("holds up no other tenant: each keeps polling within two intervals, with up 1 and no error, while the huge bodies come", async () => {
    await eventually(async () => {
      const text = await scrape();
      return HEALTHY.every((tenant) => valueOf(text, "brightpattern_up", { tenant }) === 1);
    }, 20_000, "the healthy tenants up");
    overLimit.faults.bloatedNext(FOREVER, OVER_LIMIT_BYTES);
    slowParse.faults.bloatedNext(FOREVER, SLOW_PARSE_BYTES);
    await expectHealthyWhile([OVER_LIMIT, SLOW_PARSE]);
  }, 90_000);

  it("gives each bad tenant its own up 0 and malformed_response, on its own target", async () => {
    for (const tenant of [OVER_LIMIT, SLOW_PARSE]) {
      const text = await scrape(`?tenant=${tenant}`);
      expect(valueOf(text, "brightpattern_up", { tenant }), tenant).toBe(0);
      expect(valueOf(text, "brightpattern_errors_total", { tenant, reason: "malformed_response" }), tenant).toBeGreaterThanOrEqual(3);
      expect((await fetch(`${exporter.url}/readyz?tenant=${tenant}`)).status, tenant).toBe(503);
    }
  });

  it("holds up no other tenant while one sends a body that would fill the statistics worker's heap", async () => {
    const before = malformed(await scrape(), SLOW_PARSE);
    slowParse.faults.bloatedNext(FOREVER, SLOW_PARSE_BYTES, "[]");
    await expectHealthyWhile([SLOW_PARSE], before);
  }, 90_000);
});
