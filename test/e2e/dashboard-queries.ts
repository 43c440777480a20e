// The PromQL of the shipped Grafana dashboards, with Grafana's template variables substituted the way
// Grafana would for "All", so Prometheus itself can check each query (test/e2e) and unit tests can
// check the dashboards' shape.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const DASHBOARD_DIR = fileURLToPath(new URL("../../grafana/dashboards/", import.meta.url));

export interface Target {
  refId: string;
  expr: string;
  hide?: boolean;
  datasource?: { type?: string; uid?: string };
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
  [key: string]: unknown;
}

export interface Variable {
  type: string;
  name: string;
  query?: string | { query?: string };
  [key: string]: unknown;
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Variable[] };
  [key: string]: unknown;
}

/** Where a query comes from, for failure messages a person can act on. */
export interface DashboardQuery {
  /** `dashboard "Bright Pattern wallboard", panel "Calls waiting" (A)` */
  where: string;
  /** The query as written in the dashboard. */
  expr: string;
  /** The query with variables substituted: what Prometheus receives. */
  promql: string;
}

/**
 * Values of the variables as Grafana would send them for the demo (config.example.yaml: app
 * "wallboard", grids "services" and "agents"; filters on "All"), and typical built-in interval
 * values. The e2e tests resolve the variables from Prometheus instead (grafana-panel.ts).
 */
export const VARIABLE_VALUES: Readonly<Record<string, string>> = {
  datasource: "prometheus",
  // A single-tenant exporter: no tenant label, the tenant variable empty (matches series without it).
  tenant: "",
  app_id: "wallboard",
  service_grid: "services",
  agent_grid: "agents",
  service: ".*",
  team: ".*",
  agent: "agent",
  job: "brightpattern-exporter",
  instance: ".*",
  __rate_interval: "1m",
  __interval: "15s",
  __range: "5m",
};

/** Replaces $name, ${name} and ${name:format} (Grafana's three spellings); an unknown variable throws. */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>> = VARIABLE_VALUES): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (match, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? "";
    const value = values[name];
    if (value === undefined) throw new Error(`unknown template variable ${match} in: ${expr}`);
    return value;
  });
}

export function loadDashboards(dir: string = DASHBOARD_DIR): { file: string; dashboard: Dashboard }[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => ({ file, dashboard: JSON.parse(readFileSync(`${dir}/${file}`, "utf8")) as Dashboard }));
}

/** Every panel, rows' nested panels included. */
export function allPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** The PromQL queries of every visible panel target. */
export function panelQueries(dashboard: Dashboard, values: Readonly<Record<string, string>> = VARIABLE_VALUES): DashboardQuery[] {
  return allPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? [])
      .filter((target) => !target.hide)
      .map((target) => ({
        where: `dashboard "${dashboard.title}", panel "${panel.title}" (${target.refId})`,
        expr: target.expr,
        promql: substituteVariables(target.expr, values),
      })),
  );
}

/**
 * Template variable queries as PromQL: Grafana's `label_values(SELECTOR, label)` becomes
 * `group by (label) (SELECTOR)`, which returns series exactly when the variable would have values
 * (the checker then asserts the label is set).
 */
export function variableQueries(dashboard: Dashboard, values: Readonly<Record<string, string>> = VARIABLE_VALUES): (DashboardQuery & { label: string })[] {
  return dashboard.templating.list
    .filter((variable) => variable.type === "query")
    .map((variable) => {
      const expr = typeof variable.query === "string" ? variable.query : (variable.query?.query ?? "");
      const match = /^label_values\((.+),\s*(\w+)\)$/.exec(expr.trim());
      const where = `dashboard "${dashboard.title}", variable "${variable.name}"`;
      if (!match) throw new Error(`${where}: expected label_values(selector, label), got: ${expr}`);
      const [, selector = "", label = ""] = match;
      return { where, expr, label, promql: `group by (${label}) (${substituteVariables(selector, values)})` };
    });
}
