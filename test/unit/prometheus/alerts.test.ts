// prometheus/alerts.yml: promtool accepts it, its unit tests pass, a wrong expectation fails them,
// and every rule carries what an on-call person needs (severity, summary, description).
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load } from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIN_CALLS_FOR_RATES, SERVICE_LEVEL_TARGET, THRESHOLDS } from "../../../grafana/source/thresholds.js";
import { PROMETHEUS_DIR, promtool } from "./promtool.js";

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

async function loadRules(): Promise<Rule[]> {
  const text = await readFile(join(PROMETHEUS_DIR, "alerts.yml"), "utf8");
  const doc = load(text) as { groups: { name: string; rules: Rule[] }[] };
  return doc.groups.flatMap((group) => group.rules);
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "bp-alerts-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A copy of prometheus/ in the scratch dir with one file's text changed. */
async function copyWith(file: string, change: (text: string) => string): Promise<string> {
  const dir = await mkdtemp(join(scratch, "case-"));
  await cp(PROMETHEUS_DIR, dir, { recursive: true });
  const path = join(dir, file);
  const before = await readFile(path, "utf8");
  const after = change(before);
  expect(after, `the change to ${file} must change something`).not.toBe(before);
  await writeFile(path, after);
  return dir;
}

describe("prometheus/alerts.yml", () => {
  it("passes promtool check rules", async () => {
    const result = await promtool(["check", "rules", join(PROMETHEUS_DIR, "alerts.yml")]);
    expect(result.output).toContain("SUCCESS: 12 rules found");
    expect(result.code).toBe(0);
  });

  it("passes its promtool unit tests (prometheus/alerts.test.yml)", async () => {
    const result = await promtool(["test", "rules", join(PROMETHEUS_DIR, "alerts.test.yml")]);
    expect(result.output).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });

  it("fails its unit tests when a rule's threshold changes (the tests can fail)", async () => {
    const dir = await copyWith("alerts.yml", (text) => text.replace("brightpattern_in_calls_waiting > 10", "brightpattern_in_calls_waiting > 20"));
    const result = await promtool(["test", "rules", join(dir, "alerts.test.yml")]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("alertname: BrightPatternCallsWaitingHigh");
  });

  it("fails its unit tests when the service level or abandon alert stops waiting for enough calls", async () => {
    for (const [alert, from] of [
      ["BrightPatternServiceLevelLow", "brightpattern_service_level_ratio < 0.8 and brightpattern_in_calls_received_per_day >= 20"],
      ["BrightPatternAbandonRateHigh", "brightpattern_in_calls_received_per_day > 0.05 and brightpattern_in_calls_received_per_day >= 20"],
    ] as const) {
      const dir = await copyWith("alerts.yml", (text) => text.replace(from, from.replace(/ and brightpattern_in_calls_received_per_day >= 20$/, "")));
      const result = await promtool(["test", "rules", join(dir, "alerts.test.yml")]);
      expect(result.code, alert).not.toBe(0);
      expect(result.output).toContain(`alertname: ${alert}`);
    }
  });

  it("alerts on the thresholds the dashboards draw (grafana/source/thresholds.ts)", async () => {
    const exprs = Object.fromEntries((await loadRules()).map((rule) => [rule.alert, rule.expr]));
    expect(exprs.BrightPatternCallsWaitingHigh).toBe(`brightpattern_in_calls_waiting > ${THRESHOLDS.callsWaiting.critical}`);
    expect(exprs.BrightPatternLongestWaitHigh).toBe(`brightpattern_in_max_wait_time_seconds > ${THRESHOLDS.longestWait.critical}`);
    expect(exprs.BrightPatternServiceLevelLow).toBe(`brightpattern_service_level_ratio < ${SERVICE_LEVEL_TARGET} and brightpattern_in_calls_received_per_day >= ${MIN_CALLS_FOR_RATES}`);
    expect(exprs.BrightPatternAbandonRateHigh).toBe(
      `brightpattern_in_calls_abandoned_in_queue_per_day / brightpattern_in_calls_received_per_day > ${THRESHOLDS.abandonRate.critical} and brightpattern_in_calls_received_per_day >= ${MIN_CALLS_FOR_RATES}`,
    );
  });

  it("fails its unit tests on a wrong expected annotation", async () => {
    const dir = await copyWith("alerts.test.yml", (text) => text.replace('summary: "brightpattern-exporter bp:9737 is down"', 'summary: "wrong"'));
    const result = await promtool(["test", "rules", join(dir, "alerts.test.yml")]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("alertname: BrightPatternExporterDown");
  });

  it("fails promtool check rules on a broken expression", async () => {
    const dir = await copyWith("alerts.yml", (text) => text.replace("expr: brightpattern_up == 0", "expr: brightpattern_up == == 0"));
    const result = await promtool(["check", "rules", join(dir, "alerts.yml")]);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/parse error/);
  });

  it("gives every rule an alert name, a severity and summary/description annotations", async () => {
    const rules = await loadRules();
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      const where = `rule ${rule.alert ?? rule.record ?? rule.expr}`;
      expect(rule.alert, `${where}: alerting rules only`).toMatch(/^BrightPattern[A-Z][A-Za-z]+$/);
      expect(["critical", "warning", "info"], `${where}: severity`).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, `${where}: summary`).toBeTruthy();
      expect(rule.annotations?.description, `${where}: description`).toBeTruthy();
    }
  });

  it("names the tenant in the summary of every alert whose series can carry one (all but build_info)", async () => {
    const namesTenant = "{{ with $labels.tenant }} (tenant {{ . }}){{ end }}";
    const rules = await loadRules();
    // Every brightpattern_* series but build_info carries `tenant` with tenants; a per-tenant target's `up` too.
    const canCarryTenant = (expr: string) => /\bup\{|brightpattern_(?!build_info)/.test(expr);
    const silent = rules.filter((rule) => canCarryTenant(rule.expr) && !(rule.annotations?.summary ?? "").includes(namesTenant)).map((rule) => rule.alert);
    expect(silent).toEqual([]);
    expect(rules.filter((rule) => canCarryTenant(rule.expr)).length).toBe(rules.length);
  });

  it("has a promtool unit test for every alert", async () => {
    const tests = load(await readFile(join(PROMETHEUS_DIR, "alerts.test.yml"), "utf8")) as {
      tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
    };
    const fired = new Set(
      tests.tests.flatMap((test) => (test.alert_rule_test ?? []).filter((check) => check.exp_alerts.length > 0).map((check) => check.alertname)),
    );
    const alerts = (await loadRules()).map((rule) => rule.alert);
    expect(alerts.filter((name) => !fired.has(name ?? ""))).toEqual([]);
  });
});
