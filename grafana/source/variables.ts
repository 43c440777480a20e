// Template variables. App, service grid and agent grid are single-select without "All": the
// wallboards add no numbers across apps or grids, so nothing can be counted twice. Service and
// team only filter rows, so their "All" is a plain `.*`.
import { DATASOURCE, type Json } from "./panels.js";

export const datasourceVariable = (): Json => ({
  type: "datasource",
  name: "datasource",
  label: "Data source",
  query: "prometheus",
  hide: 0,
  refresh: 1,
  regex: "",
  options: [],
  skipUrlSync: false,
});

interface QueryVariable {
  name: string;
  label: string;
  query: string;
  /** Several values and "All" (`allValue`, or Grafana's `(a|b|…)` of the values when undefined). */
  multi?: { allValue?: string };
  hide?: boolean;
}

export function queryVariable(variable: QueryVariable): Json {
  return {
    type: "query",
    name: variable.name,
    label: variable.label,
    datasource: DATASOURCE,
    query: variable.query,
    refresh: 2,
    includeAll: variable.multi !== undefined,
    multi: variable.multi !== undefined,
    ...(variable.multi?.allValue === undefined ? {} : { allValue: variable.multi.allValue }),
    sort: 1,
    hide: variable.hide ? 2 : 0,
    options: [],
    regex: "",
    skipUrlSync: false,
  };
}

/**
 * With tenants (config `tenants:`) every series carries `tenant`: one tenant at a time (app ids repeat
 * across tenants). A single-tenant exporter has no tenant label: the variable is empty and
 * `tenant=~""` matches the series without it.
 */
export const tenantVariable = (): Json => queryVariable({ name: "tenant", label: "Tenant", query: "label_values(brightpattern_up, tenant)" });

export const appVariable = (): Json =>
  queryVariable({ name: "app_id", label: "App", query: 'label_values({__name__=~"brightpattern_.+", tenant=~"$tenant", app_id!=""}, app_id)' });

export const serviceGridVariable = (): Json =>
  queryVariable({ name: "service_grid", label: "Service grid", query: 'label_values({__name__=~"brightpattern_service_.+", tenant=~"$tenant", app_id="$app_id", grid!=""}, grid)' });

export const agentGridVariable = (): Json =>
  queryVariable({ name: "agent_grid", label: "Agent grid", query: 'label_values({__name__=~"brightpattern_agent_.+", tenant=~"$tenant", app_id="$app_id", grid!=""}, grid)' });
