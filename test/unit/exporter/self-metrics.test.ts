import { describe, expect, it } from "vitest";
import { createSelfMetrics } from "../../../src/exporter/self-metrics.js";
import { selfMetricNames } from "../../../src/metrics/self-metric-names.js";
import { ERROR_REASONS } from "../../../src/statsapi/errors.js";
import { promtool, readExposition } from "../metrics/exposition-reader.js";

describe("createSelfMetrics", () => {
  it("renders every self-metric family, with errors pre-initialised for every reason and lint-clean names", async () => {
    const self = createSelfMetrics({ namespace: "brightpattern", version: "1.2.3" });
    const text = await self.render();
    const samples = readExposition(text);
    const names = new Set(samples.map((s) => s.name));
    // Per-grid families have series once a poll saw the grids.
    const perGrid = new Set(["brightpattern_grid_rows", "brightpattern_grid_row_limit_reached"]);
    for (const name of selfMetricNames("brightpattern")) {
      if (!name.endsWith("_seconds") && !perGrid.has(name)) expect(names, name).toContain(name);
    }
    // ...and the plan's list of reserved names holds every family we register.
    for (const name of names) if (name.startsWith("brightpattern_")) expect(selfMetricNames("brightpattern"), name).toContain(name);
    expect(samples.filter((s) => s.name === "brightpattern_errors_total").map((s) => s.labels.reason)).toEqual([...ERROR_REASONS]);
    expect(samples.filter((s) => s.name === "brightpattern_errors_total").every((s) => s.value === 0)).toBe(true);
    expect(samples.find((s) => s.name === "brightpattern_build_info")).toMatchObject({ labels: { version: "1.2.3", node_version: process.version }, value: 1 });
    expect([...names].some((name) => name.startsWith("process_"))).toBe(true);
    expect([...names].some((name) => name.startsWith("nodejs_"))).toBe(true);
    const lint = promtool(text);
    expect(lint.output.trim()).toBe("");
  });

  it("reuses a render for up to a second unless invalidated", async () => {
    const self = createSelfMetrics({ namespace: "bp", version: "0" });
    self.up.set(1);
    expect(await self.render()).toContain("bp_up 1\n");
    self.up.set(0);
    expect(await self.render()).toContain("bp_up 1\n");
    self.invalidate();
    expect(await self.render()).toContain("bp_up 0\n");
  });

  it("keeps the poller StateSet at exactly one current state", async () => {
    const self = createSelfMetrics({ namespace: "bp", version: "0" });
    self.setPollerState("polling");
    self.setPollerState("backoff");
    const states = readExposition(await self.render()).filter((s) => s.name === "bp_poller_state");
    expect(states.filter((s) => s.value === 1).map((s) => s.labels.state)).toEqual(["backoff"]);
    expect(states.length).toBeGreaterThanOrEqual(5);
  });

  it("counts with the typed handles", async () => {
    const self = createSelfMetrics({ namespace: "bp", version: "0" });
    self.errors.inc({ reason: "timeout" });
    self.logins.inc({ result: "failure" });
    self.pollDuration.observe(0.02);
    self.invalidValues.inc(3);
    const text = await self.render();
    expect(text).toContain('bp_errors_total{reason="timeout"} 1\n');
    expect(text).toContain('bp_logins_total{result="failure"} 1\n');
    expect(text).toContain('bp_poll_duration_seconds_bucket{le="0.025"} 1\n');
    expect(text).toContain('bp_poll_duration_seconds_bucket{le="0.01"} 0\n');
    expect(text).toContain("bp_invalid_values_total 3\n");
  });
});
