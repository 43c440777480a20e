// A real Prometheus scrapes the exporter (fed by the simulator) and evaluates the alert rules; every
// dashboard panel query, template variable and alert expression must parse and return series.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Demo } from "../../src/exporter/demo.js";
import { PROMETHEUS_DIR, promtool } from "../unit/prometheus/promtool.js";
import { checkOpenMetrics } from "../support/openmetrics-check.js";
import { type Dashboard, VARIABLE_VALUES, allPanels, loadDashboards, panelQueries, variableQueries } from "./dashboard-queries.js";
import { resolveVariables } from "./grafana-panel.js";
import { type PrometheusServer, checkQueries } from "./prometheus-server.js";
import { alertQueries, withBoolComparisons } from "./rule-queries.js";
import { type Stack, startStack } from "./stack.js";

let stack: Stack;
let demo: Demo;
let prometheus: PrometheusServer;

beforeAll(async () => {
  stack = await startStack();
  ({ demo, prometheus } = stack);
});

afterAll(async () => {
  await stack?.stop();
});

const dashboards = loadDashboards();
/** The variables as Grafana resolves them on first load, from this Prometheus. */
const variablesOf = (dashboard: Dashboard): Promise<Record<string, string>> => resolveVariables(dashboard, prometheus, Math.floor(Date.now() / 1000), VARIABLE_VALUES);
/** Panels that draw nothing while all is well ("No errors"): their comparisons are made bool for the check. */
const EMPTY_WHEN_HEALTHY = new Set(['dashboard "Bright Pattern exporter health", panel "Errors by reason" (A)']);

describe("dashboards against a real Prometheus", () => {
  it.each(dashboards)("every panel query of $file parses and returns series", async ({ dashboard }) => {
    const queries = panelQueries(dashboard, await variablesOf(dashboard)).map((query) =>
      EMPTY_WHEN_HEALTHY.has(query.where) ? { ...query, promql: withBoolComparisons(query.promql) } : query,
    );
    expect(queries.length).toBeGreaterThan(5);
    await checkQueries(prometheus, queries);
  });

  it.each(dashboards)("every template variable of $file has values", async ({ dashboard }) => {
    // This exporter has one tenant: no tenant label, so the tenant variable is empty (tenants.test.ts fills it).
    const queries = variableQueries(dashboard, await variablesOf(dashboard)).filter((query) => query.label !== "tenant");
    await checkQueries(prometheus, queries);
  });

  it.each(dashboards)("the table columns of $file name labels and queries that exist", async ({ dashboard }) => {
    const problems: string[] = [];
    for (const panel of allPanels(dashboard).filter((candidate) => candidate.type === "table")) {
      const labels = new Set<string>();
      for (const query of panelQueries({ ...dashboard, panels: [panel] }, await variablesOf(dashboard))) {
        for (const series of (await prometheus.query(query.promql)).data?.result ?? []) Object.keys(series.metric).forEach((label) => labels.add(label));
      }
      const refIds = new Set((panel.targets ?? []).map((target) => target.refId));
      const organize = (panel.transformations as { id: string; options: { renameByName?: Record<string, string> } }[] | undefined)?.find(
        (transformation) => transformation.id === "organize",
      );
      for (const column of Object.keys(organize?.options.renameByName ?? {})) {
        const value = /^Value(?: #(\w+))?$/.exec(column);
        const known = value ? value[1] === undefined || refIds.has(value[1]) : labels.has(column);
        if (!known) problems.push(`panel "${panel.title}": column ${column} is neither a label of its series nor a query's value`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("names the dashboard and the panel of a broken query", async () => {
    const copy = structuredClone(dashboards.find(({ file }) => file === "brightpattern-wallboard.json")?.dashboard);
    const panel = copy?.panels.find((candidate) => candidate.title === "Longest wait by service");
    const target = panel?.targets?.[0];
    if (!copy || !target) throw new Error("the wallboard has a Longest wait by service panel");
    target.expr = target.expr.replace("brightpattern_service_in_max_wait_time_seconds", "brightpattern_service_in_max_wait_time"); // no such metric
    await expect(checkQueries(prometheus, panelQueries(copy))).rejects.toThrow(
      /1 of \d+ queries failed:\ndashboard "Bright Pattern wallboard", panel "Longest wait by service" \(A\): no series/,
    );
    if (!copy.panels[0]?.targets?.[0]) throw new Error("the wallboard's first panel has a query");
    copy.panels[0].targets[0].expr = "sum(brightpattern_in_calls_waiting{app_id=~\"$app_id\"}"; // unbalanced
    await expect(checkQueries(prometheus, panelQueries(copy))).rejects.toThrow(
      /panel "Calls waiting" \(A\): Prometheus rejected the query: .*parse error/,
    );
  });
});

describe("alert rules against a real Prometheus", () => {
  it("every alert expression returns series (comparisons made bool)", async () => {
    await checkQueries(prometheus, alertQueries());
  });

  it("loads the rule file and evaluates every rule without error", async () => {
    await prometheus.waitFor("vector(1)", 1000);
    const response = await fetch(`${prometheus.url}/api/v1/rules`);
    const body = (await response.json()) as { data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] } };
    const rules = body.data.groups.flatMap((group) => group.rules);
    expect(rules.length).toBe(alertQueries().length);
    expect(rules.filter((rule) => rule.health !== "ok")).toEqual([]);
  });

  it("promtool check rules and test rules pass", async () => {
    expect((await promtool(["check", "rules", `${PROMETHEUS_DIR}alerts.yml`])).code).toBe(0);
    expect((await promtool(["test", "rules", `${PROMETHEUS_DIR}alerts.test.yml`])).code).toBe(0);
  });
});

describe("OpenMetrics with the real Prometheus", () => {
  it("is what Prometheus negotiates (it asks for it first): state sets, info families and units arrive as such", async () => {
    await prometheus.waitFor('brightpattern_agent_state{state="ready"}', 30_000);
    await prometheus.waitFor("brightpattern_agent_info", 30_000);
    // Only an OpenMetrics scrape can tell Prometheus these types and units: the text format has neither.
    const metadata = async () =>
      ((await (await fetch(`${prometheus.url}/api/v1/metadata`)).json()) as { data: Record<string, { type: string; unit: string }[]> }).data;
    const data = await metadata();
    expect(data.brightpattern_agent_state?.[0]?.type).toBe("stateset");
    expect(data.brightpattern_agent?.[0]?.type).toBe("info");
    expect(data.brightpattern_in_max_wait_time_seconds?.[0]).toMatchObject({ type: "gauge", unit: "seconds" });
    expect(data.brightpattern_errors?.[0]?.type).toBe("counter");
    // The series keep the names and labels the dashboards query, whatever the format.
    const states = await prometheus.query("count by (state) (brightpattern_agent_state)");
    expect(states.data?.result.map((series) => series.metric.state).sort()).toEqual(expect.arrayContaining(["after_call_work", "busy", "logged_out", "not_ready", "ready"]));
  });

  it("the live OpenMetrics body passes Prometheus's OpenMetrics parser (promtool)", async () => {
    const response = await fetch(demo.metricsUrl, { headers: { accept: "application/openmetrics-text;version=1.0.0" } });
    expect(response.headers.get("content-type")).toContain("application/openmetrics-text; version=1.0.0");
    const body = await response.text();
    expect(body.endsWith("# EOF\n")).toBe(true);
    expect((await checkOpenMetrics(body)).code).toBe(0);
  });
});

describe("the live exposition", () => {
  it("passes promtool check metrics", async () => {
    const body = await (await fetch(demo.metricsUrl)).text();
    expect(body).toContain("brightpattern_in_calls_waiting{");
    const result = await promtool(["check", "metrics"], body);
    expect(result.output.trim()).toBe("");
  });
});

