import { describe, expect, it } from "vitest";
import type { Config } from "../../../src/config/types.js";
import { planReload, planSharedReload } from "../../../src/exporter/reload-policy.js";
import { app, config, grid, col } from "../../support/config-builder.js";

const base = (): Config => config([app({ stats_totals: [{ stat_name: "in_calls_waiting" }] })]);
/** A copy with one part changed (a deep copy: the plan compares values, not objects). */
const changed = (edit: (c: Config) => void): Config => {
  const copy = structuredClone(base());
  edit(copy);
  return copy;
};

describe("planReload: what a reload must redo", () => {
  it("an equal config (a new object with the same values) redoes nothing", () => {
    expect(planReload(base(), structuredClone(base()))).toEqual({
      newPipeline: false,
      newSubscription: false,
      needsRestart: false,
      keepNamespace: undefined,
    });
  });

  it.each<[string, (c: Config) => void]>([
    ["upstream.url", (c) => (c.upstream.url = "https://other.example.com")],
    ["upstream.auth (new credentials)", (c) => (c.upstream.auth = { method: "session", username: "u", password: "p" })],
    ["upstream.timeout", (c) => (c.upstream.timeout_ms += 1)],
    ["poll.interval", (c) => (c.poll.interval_ms += 1000)],
    ["poll.stale_after", (c) => (c.poll.stale_after_ms += 1000)],
  ])("a changed %s: a new client and poll loop, and no separate new subscription", (_, edit) => {
    // The new pipeline subscribes anyway, even when the subscription changed too.
    const after = changed((c) => {
      edit(c);
      c.subscription.apps[0]!.stats_totals.push({ stat_name: "in_calls_answered" });
    });
    expect(planReload(base(), after)).toMatchObject({ newPipeline: true, newSubscription: false, needsRestart: false });
  });

  it("only the subscription changed: the same session subscribes again", () => {
    const after = changed((c) => (c.subscription.apps[0]!.service_grids = [grid("services", [col("name")])]));
    expect(planReload(base(), after)).toMatchObject({ newPipeline: false, newSubscription: true, needsRestart: false });
  });

  it("web settings wait for a restart, and nothing else is redone for them", () => {
    const after = changed((c) => (c.web.listen_address = "127.0.0.1:9999"));
    expect(planReload(base(), after)).toEqual({ newPipeline: false, newSubscription: false, needsRestart: true, keepNamespace: undefined });
  });

  it("a new metrics.namespace waits for a restart and the old one is kept meanwhile", () => {
    const after = changed((c) => (c.metrics.namespace = "bp"));
    expect(planReload(base(), after)).toEqual({ newPipeline: false, newSubscription: false, needsRestart: true, keepNamespace: "brightpattern" });
  });

  it("other metrics settings take effect at once (no restart)", () => {
    const after = changed((c) => (c.metrics.max_label_length = 7));
    expect(planReload(base(), after).needsRestart).toBe(false);
  });
});

describe("planSharedReload: the settings a tenants file shares", () => {
  it("compares web and the namespace only", () => {
    const before = base();
    expect(planSharedReload(before, { web: { ...before.web }, metrics: { ...before.metrics } })).toEqual({ needsRestart: false, keepNamespace: undefined });
    expect(planSharedReload(before, { web: { ...before.web, enable_lifecycle: !before.web.enable_lifecycle }, metrics: before.metrics })).toEqual({
      needsRestart: true,
      keepNamespace: undefined,
    });
    expect(planSharedReload(before, { web: before.web, metrics: { ...before.metrics, namespace: "x" } })).toEqual({
      needsRestart: true,
      keepNamespace: before.metrics.namespace,
    });
  });
});
