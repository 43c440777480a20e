// Twelve tenants in one exporter, one with wrong credentials and one whose upstream hangs: the other ten
// serve data within two poll intervals and keep up 1; the broken two show their own up 0 and reasons, on
// /metrics and on their own /metrics?tenant= targets.
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCheckedConfigFile } from "../../../src/exporter/checked-config.js";
import { type Exporter, startExporter } from "../../../src/exporter/exporter.js";
import { createLogger } from "../../../src/logger.js";
import { type Simulator, startSimulator } from "../../../src/simulator/index.js";
import { tempConfig } from "../../support/cli.js";
import { eventually } from "../../support/eventually.js";
import { startHangingServer, tenantsConfigText } from "../../support/tenants.js";
import { promtool, readExposition } from "../../unit/metrics/exposition-reader.js";

const INTERVAL_MS = 1_500;
const HEALTHY = Array.from({ length: 10 }, (_, i) => `tenant-${String(i + 1).padStart(2, "0")}`);
const WRONG = "wrong-credentials";
const HANGING = "hanging-upstream";

let sim: Simulator;
let hanging: Awaited<ReturnType<typeof startHangingServer>>;
let exporter: Exporter;
let startedAt: number;
const logs: string[] = [];

beforeAll(async () => {
  sim = await startSimulator({ tenants: 11, warmupPolls: 0, tickMs: 0 });
  hanging = await startHangingServer();
  const specs = [
    ...HEALTHY.map((name, i) => ({ name, url: sim.url, tenantUrl: sim.tenants[i]! })),
    { name: WRONG, url: sim.url, tenantUrl: sim.tenants[10]!, secret: "not-the-secret" },
    { name: HANGING, url: hanging.url, tenantUrl: "hangs.example.com" },
  ];
  const path = await tempConfig(tenantsConfigText(specs, { interval: `${INTERVAL_MS}ms`, max_backoff: "3s", stale_after: "30s" }, "4s"));
  const checked = await loadCheckedConfigFile(path, {});
  const destination = new Writable({ write: (chunk: Buffer, _e, done) => void (logs.push(chunk.toString()), done()) });
  startedAt = Date.now();
  exporter = await startExporter({ ...checked, logger: createLogger({ level: "info", format: "json", destination }) });
});

afterAll(async () => {
  await exporter?.stop();
  await hanging?.close();
  await sim?.close();
});

const scrape = async (query = "") => {
  const res = await fetch(`${exporter.url}/metrics${query}`);
  return { status: res.status, text: await res.text() };
};
const valueOf = (text: string, name: string, labels: Record<string, string>) =>
  readExposition(text).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe("twelve tenants, two of them broken", () => {
  it("serves the ten healthy tenants' data within two intervals of the start, each with up 1", async () => {
    const text = await eventually(async () => {
      const { text } = await scrape();
      return HEALTHY.every((tenant) => valueOf(text, "brightpattern_up", { tenant }) === 1) && text;
    }, 20_000, "ten tenants up");
    for (const tenant of HEALTHY) {
      const lastSuccess = valueOf(text, "brightpattern_last_success_timestamp_seconds", { tenant })!;
      expect(lastSuccess * 1000 - startedAt, tenant).toBeLessThanOrEqual(2 * INTERVAL_MS);
      expect(valueOf(text, "brightpattern_statistic_series", { tenant }), tenant).toBeGreaterThan(0);
      expect(readExposition(text).some((s) => s.labels.tenant === tenant && s.labels.app_id !== undefined), tenant).toBe(true);
    }
  });

  it("gives the broken tenants their own up 0 and reasons, on their own targets", async () => {
    const wrong = await eventually(async () => {
      const { text } = await scrape(`?tenant=${WRONG}`);
      return (valueOf(text, "brightpattern_errors_total", { tenant: WRONG, reason: "login_rejected" }) ?? 0) > 0 && text;
    }, 10_000, "login_rejected");
    expect(valueOf(wrong, "brightpattern_up", { tenant: WRONG })).toBe(0);
    const hung = await eventually(async () => {
      const { text } = await scrape(`?tenant=${HANGING}`);
      return (valueOf(text, "brightpattern_errors_total", { tenant: HANGING, reason: "timeout" }) ?? 0) > 0 && text;
    }, 15_000, "timeout");
    expect(valueOf(hung, "brightpattern_up", { tenant: HANGING })).toBe(0);
    expect(hanging.connections()).toBeGreaterThan(0);
    // A tenant's own target holds its series, and the process's (no tenant label).
    expect(readExposition(hung).every((s) => s.labels.tenant === HANGING || !s.name.startsWith("brightpattern_") || s.name === "brightpattern_build_info" || s.name.startsWith("brightpattern_config_"))).toBe(true);
  });

  it("keeps polling the healthy tenants while the hanging one waits: each keeps up 1 and gets new data", async () => {
    const dataPolls = (tenantUrl: string) => sim.requests.filter((r) => r.tenant === tenantUrl && r.path === "/statsapi/subscription/data" && r.status === 200).length;
    const before = sim.tenants.slice(0, 10).map(dataPolls);
    await eventually(() => sim.tenants.slice(0, 10).every((t, i) => dataPolls(t) >= before[i]! + 2), 15_000, "two more polls each");
    const { text } = await scrape();
    for (const tenant of HEALTHY) expect(valueOf(text, "brightpattern_up", { tenant }), tenant).toBe(1);
  });

  it("serves one tenant on /metrics?tenant=NAME with its own up, and a 404 for a tenant it does not have", async () => {
    const { status, text } = await scrape("?tenant=tenant-03");
    expect(status).toBe(200);
    const samples = readExposition(text);
    expect(samples.length).toBeGreaterThan(10);
    expect(new Set(samples.filter((s) => s.labels.tenant !== undefined).map((s) => s.labels.tenant))).toEqual(new Set(["tenant-03"]));
    expect(samples.some((s) => s.name === "process_resident_memory_bytes")).toBe(true);
    expect(valueOf(text, "brightpattern_up", { tenant: "tenant-03" })).toBe(1);
    expect((await scrape("?tenant=nobody")).status).toBe(404);
  });

  it("serves every tenant on /metrics as one valid exposition: each family once, every series with its tenant", async () => {
    const { text } = await scrape();
    expect(promtool(text).output.trim()).toBe("");
    const helps = text.split("\n").filter((line) => line.startsWith("# HELP "));
    expect(new Set(helps).size).toBe(helps.length);
    const samples = readExposition(text);
    for (const sample of samples.filter((s) => s.name.startsWith("brightpattern_") && s.name !== "brightpattern_build_info" && !s.name.startsWith("brightpattern_config_"))) {
      expect(sample.labels.tenant, sample.name).toBeDefined();
    }
    for (const tenant of [...HEALTHY, WRONG, HANGING]) expect(valueOf(text, "brightpattern_up", { tenant }), tenant).toBeDefined();
  });

  it("shows each tenant's state on /readyz and the landing page", async () => {
    const ready = await fetch(`${exporter.url}/readyz`);
    expect(ready.status).toBe(503);
    const body = await ready.text();
    expect(body).toContain("not ready: 2 of 12 tenants");
    expect(body).toContain("tenant-01: ready");
    expect(body).toContain(`${WRONG}: not ready: no data yet`);
    expect((await fetch(`${exporter.url}/readyz?tenant=tenant-01`)).status).toBe(200);
    expect((await fetch(`${exporter.url}/readyz?tenant=${HANGING}`)).status).toBe(503);
    const page = await (await fetch(`${exporter.url}/`)).text();
    expect(page).toContain(`<a href="/metrics?tenant=${WRONG}">${WRONG}</a>`);
    expect(page).toContain("login_rejected");
  });

  it("logs each tenant's lines with its name", () => {
    const lines = logs.join("").split("\n").filter(Boolean).map((line) => JSON.parse(line) as { tenant?: string; msg: string });
    expect(lines.some((line) => line.tenant === WRONG && /login/i.test(line.msg))).toBe(true);
  });
});
