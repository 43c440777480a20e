// Several tenants end to end: one exporter with three tenants, a real Prometheus scraping one target a
// tenant (/metrics?tenant=NAME, the README's scrape job), and every dashboard query returning series for
// a chosen tenant, and nothing of the others.
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCheckedConfigFile } from "../../src/exporter/checked-config.js";
import { type Exporter, startExporter } from "../../src/exporter/exporter.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { tempConfig } from "../support/cli.js";
import { tenantsConfigText } from "../support/tenants.js";
import { type Dashboard, VARIABLE_VALUES, loadDashboards, panelQueries, variableQueries } from "./dashboard-queries.js";
import { resolveVariables } from "./grafana-panel.js";
import { JOB, type PrometheusServer, checkQueries, startPrometheus } from "./prometheus-server.js";
import { withBoolComparisons } from "./rule-queries.js";

const TENANTS = ["acme", "globex", "initech"];
const CHOSEN = "globex";
const EMPTY_WHEN_HEALTHY = new Set(['dashboard "Bright Pattern exporter health", panel "Errors by reason" (A)']);

let sim: Simulator;
let exporter: Exporter;
let prometheus: PrometheusServer;

beforeAll(async () => {
  sim = await startSimulator({ tenants: TENANTS.length });
  const specs = TENANTS.map((name, i) => ({ name, url: sim.url, tenantUrl: sim.tenants[i]! }));
  const path = await tempConfig(tenantsConfigText(specs, { interval: "1s", max_backoff: "5s", stale_after: "30s" }));
  exporter = await startExporter({ ...(await loadCheckedConfigFile(path, {})), logger: pino({ level: "silent" }) });
  prometheus = await startPrometheus({ target: new URL(exporter.url).host, metricsPath: "/metrics", ruleFiles: [], tenants: TENANTS });
  // rate() over the dashboards' 1m windows needs a few scrapes of every tenant with data.
  await prometheus.waitFor(`count(count_over_time(brightpattern_in_calls_waiting{job="${JOB}"}[1m]) >= 3) == ${TENANTS.length}`, 40_000);
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  await exporter?.stop();
  await sim?.close();
});

const dashboards = loadDashboards();
const variablesFor = (dashboard: Dashboard, tenant: string) =>
  resolveVariables(dashboard, prometheus, Math.floor(Date.now() / 1000), VARIABLE_VALUES, { tenant });

describe("per-tenant scrape targets", () => {
  it("gives each tenant its own target, up 1, and its own brightpattern_up", async () => {
    const up = await prometheus.query(`up{job="${JOB}"}`);
    expect(up.data?.result.map((series) => [series.metric.tenant, series.value?.[1]]).sort()).toEqual(TENANTS.map((tenant) => [tenant, "1"]));
    const upstream = await prometheus.query(`brightpattern_up{job="${JOB}"}`);
    expect(upstream.data?.result.map((series) => series.metric.tenant).sort()).toEqual(TENANTS);
  });

  it("has no series without a tenant from a target but the process metrics", async () => {
    const untagged = await prometheus.query(`count by (__name__) ({job="${JOB}", __name__=~"brightpattern_.+", tenant=""})`);
    expect(untagged.data?.result ?? []).toEqual([]);
  });
});

describe("the dashboards for a chosen tenant", () => {
  it.each(dashboards)("every template variable of $file has values", async ({ dashboard }) => {
    await checkQueries(prometheus, variableQueries(dashboard, await variablesFor(dashboard, CHOSEN)));
  });

  it.each(dashboards)("every panel query of $file returns series for the chosen tenant", async ({ dashboard }) => {
    const variables = await variablesFor(dashboard, CHOSEN);
    expect(variables.tenant).toBe(CHOSEN);
    const queries = panelQueries(dashboard, variables).map((query) =>
      EMPTY_WHEN_HEALTHY.has(query.where) ? { ...query, promql: withBoolComparisons(query.promql) } : query,
    );
    await checkQueries(prometheus, queries);
  });

  it("shows only the chosen tenant's numbers", async () => {
    const wallboard = dashboards.find(({ file }) => file === "brightpattern-wallboard.json")!.dashboard;
    const variables = await variablesFor(wallboard, CHOSEN);
    const [first] = panelQueries(wallboard, variables);
    const time = Math.floor(Date.now() / 1000) - 1;
    expect(first!.promql).toContain("brightpattern_in_calls_waiting{");
    const ofChosen = await prometheus.instant(first!.promql, time);
    const direct = await prometheus.instant(`max(brightpattern_in_calls_waiting{tenant="${CHOSEN}", app_id="${variables.app_id}"})`, time);
    expect(ofChosen).toEqual(direct);
    const nobody = panelQueries(wallboard, { ...variables, tenant: "nobody" }).filter((query) => query.promql.includes("brightpattern_service_"));
    expect(nobody.length).toBeGreaterThan(0);
    for (const query of nobody) expect(await prometheus.instant(query.promql, time), query.where).toEqual([]);
  });
});
