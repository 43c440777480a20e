// KNOWN GAP, skipped until it is fixed (the statistics worker every tenant shares; see notes/issue-13-gaps.md).
// One tenant's upstream answers with a 60 MB body of empty arrays, under the client's 64 MiB limit: parsing it
// takes more than the worker's 512 MB heap. Today the worker thrashes at its limit, so every tenant's poll waits
// on it: the healthy tenant gets no data from then on (its series are dropped as stale after stale_after while
// its up stays 1), exporter.stop() hangs, and after about two minutes the whole process aborts (FATAL ERROR:
// Reached heap limit, nodejs/node#47224). Un-skip to reproduce; it fails within ~10 s of the first bad body.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { loadCheckedConfigFile } from "../../../src/exporter/checked-config.js";
import { type Exporter, startExporter } from "../../../src/exporter/exporter.js";
import { type Simulator, startSimulator } from "../../../src/simulator/index.js";
import { tempConfig } from "../../support/cli.js";
import { eventually, sleep } from "../../support/eventually.js";
import { tenantsConfigText } from "../../support/tenants.js";
import { type SimulatorProcess, startSimulatorProcess } from "../faults/simulator-process.js";
import { readExposition } from "../../unit/metrics/exposition-reader.js";

const INTERVAL_MS = 1_500;

describe.skip("a tenant whose body fills the statistics worker's heap", () => {
  let sim: Simulator;
  let bad: SimulatorProcess;
  let exporter: Exporter;

  beforeAll(async () => {
    [sim, bad] = await Promise.all([startSimulator({ tenants: 1, warmupPolls: 0, tickMs: 0 }), startSimulatorProcess()]);
    const path = await tempConfig(tenantsConfigText([
      { name: "healthy", url: sim.url, tenantUrl: sim.tenants[0]! },
      { name: "heap-filler", url: bad.url, tenantUrl: "demo.brightpattern.local" },
    ], { interval: `${INTERVAL_MS}ms`, max_backoff: "3s", stale_after: "30s" }, "20s"));
    exporter = await startExporter({ ...(await loadCheckedConfigFile(path, {})), logger: pino({ level: "silent" }) });
  }, 30_000);

  afterAll(async () => {
    try {
      await Promise.race([exporter?.stop(), sleep(10_000)]);
    } finally {
      await Promise.allSettled([sim?.close(), bad?.close()]);
    }
  }, 30_000);

  const lastData = async () => {
    const text = await (await fetch(`${exporter.url}/metrics`)).text();
    return readExposition(text).find((s) => s.name === "brightpattern_last_success_timestamp_seconds" && s.labels.tenant === "healthy")?.value ?? 0;
  };

  it("keeps the other tenant's data coming: its last data never older than three intervals", async () => {
    await eventually(async () => (await lastData()) > 0, 20_000, "the healthy tenant's first data");
    bad.faults.bloatedNext(1_000_000, 60 * 1024 * 1024, "[]");
    const until = Date.now() + 40_000;
    while (Date.now() < until) {
      const age = Date.now() - (await lastData()) * 1000;
      expect(age, "age of the healthy tenant's last data").toBeLessThanOrEqual(3 * INTERVAL_MS);
      await sleep(500);
    }
  }, 60_000);
});
