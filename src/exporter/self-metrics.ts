// The exporter's own metrics: a private prom-client registry (never the global one) with typed handles.
// They are few, so they are rendered at scrape time, after the statistics rendered once per poll; a text
// rendered less than a second ago is reused unless one of our own metrics changed since (invalidate()),
// so only the process metrics can be up to a second old.
import { TENANT_LABEL } from "../config/tenant-label.js";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { type ExpositionFormat, textToOpenMetrics } from "../metrics/openmetrics.js";
import { POLLER_STATES, type PollerState } from "../poller.js";
import { ERROR_REASONS, type ErrorReason } from "../statsapi/errors.js";

/** The metrics of one tenant's poll loop (for a single-tenant config: part of SelfMetrics, without a tenant label). */
export interface TenantSelfMetrics {
  registry: Registry;
  up: Gauge;
  lastSuccessTimestamp: Gauge;
  pollDuration: Histogram;
  errors: Counter<"reason">;
  logins: Counter<"result">;
  subscriptionsCreated: Counter;
  invalidValues: Counter;
  statisticSeries: Gauge;
  /** What the last poll left out past metrics.max_series and the grids' row caps. */
  statisticSeriesCut: Gauge;
  gridRowsCut: Gauge;
  pollerState: Gauge<"state">;
  /** Rows served per grid, and whether the rows the upstream sent reached the grid's limit. */
  gridRows: Gauge<"app_id" | "grid">;
  gridRowLimitReached: Gauge<"app_id" | "grid">;
  /** Percent columns whose values cannot be on their configured scale. */
  percentScaleSuspect: Gauge;
  /** Sets the poller StateSet: 1 for `state`, 0 for the others. */
  setPollerState(state: PollerState): void;
  /** The registry's metrics: text format 0.0.4 (default), or OpenMetrics without `# EOF`. */
  render(format?: ExpositionFormat): Promise<string>;
  /** Call after changing a metric through the handles: the next render is fresh. */
  invalidate(): void;
}

/** The process-wide metrics: build info, config reloads, Node.js process metrics. */
export interface ProcessSelfMetrics {
  registry: Registry;
  configReloadSuccessful: Gauge;
  configReloadSuccessTimestamp: Gauge;
  render(format?: ExpositionFormat): Promise<string>;
  invalidate(): void;
}

/** A single-tenant exporter's self-metrics: one registry, no tenant label (the names and labels of every release). */
export interface SelfMetrics extends TenantSelfMetrics, ProcessSelfMetrics {
  registry: Registry;
  render(format?: ExpositionFormat): Promise<string>;
  invalidate(): void;
}

/** Polls take from milliseconds (a small subscription) to the request timeout (up to 30 s). */
export const POLL_DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** How long a rendered text may be served again when nothing of ours changed (process metrics only). */
const RENDER_REUSE_MS = 1_000;

/** A render reused for up to RENDER_REUSE_MS unless invalidated. */
function cachedRender(registry: Registry): Pick<SelfMetrics, "render" | "invalidate"> {
  let cached: { text: string; openMetrics?: string; at: number } | undefined;
  return {
    render: async (format: ExpositionFormat = "text") => {
      const now = Date.now();
      if (cached === undefined || now - cached.at >= RENDER_REUSE_MS) cached = { text: await registry.metrics(), at: now };
      if (format === "text") return cached.text;
      cached.openMetrics ??= textToOpenMetrics(cached.text);
      return cached.openMetrics;
    },
    invalidate: () => {
      cached = undefined;
    },
  };
}

function registerTenantMetrics(ns: string, registry: Registry): Omit<TenantSelfMetrics, "render" | "invalidate" | "registry"> {
  const registers = [registry];
  const up = new Gauge({ name: `${ns}_up`, help: "1 when the last poll of the Stats API got fresh data (or data not ready yet), else 0.", registers });
  const lastSuccessTimestamp = new Gauge({
    name: `${ns}_last_success_timestamp_seconds`,
    help: "Unix time of the last poll that got statistics data, in seconds.",
    registers,
  });
  const pollDuration = new Histogram({
    name: `${ns}_poll_duration_seconds`,
    help: "Duration of polls of the Stats API subscription data, in seconds.",
    buckets: POLL_DURATION_BUCKETS,
    registers,
  });
  const errors = new Counter({
    name: `${ns}_errors_total`,
    help: "Errors talking to the Stats API, by reason.",
    labelNames: ["reason"] as const,
    registers,
  });
  for (const reason of ERROR_REASONS) errors.inc({ reason } satisfies Record<"reason", ErrorReason>, 0);
  const logins = new Counter({
    name: `${ns}_logins_total`,
    help: "Logins to the Stats API, by result (success or failure).",
    labelNames: ["result"] as const,
    registers,
  });
  for (const result of ["success", "failure"]) logins.inc({ result }, 0);
  const subscriptionsCreated = new Counter({
    name: `${ns}_subscriptions_created_total`,
    help: "Stats API subscriptions created.",
    registers,
  });
  const invalidValues = new Counter({
    name: `${ns}_invalid_values_total`,
    help: "Statistic values that could not be parsed and were skipped.",
    registers,
  });
  const statisticSeries = new Gauge({
    name: `${ns}_statistic_series`,
    help: "Series in the current statistic exposition (0 when the data is stale).",
    registers,
  });
  const statisticSeriesCut = new Gauge({
    name: `${ns}_statistic_series_cut`,
    help: "Series the last poll's data would have made past metrics.max_series: not served.",
    registers,
  });
  const gridRowsCut = new Gauge({
    name: `${ns}_grid_rows_cut`,
    help: "Grid rows of the last poll past their grid's cap (its limit, else metrics.max_grid_rows): not served.",
    registers,
  });
  const pollerState = new Gauge({
    name: `${ns}_poller_state`,
    help: "State of the exporter's connection to the Stats API: 1 for the current state, 0 for the others.",
    labelNames: ["state"] as const,
    registers,
  });
  const gridRows = new Gauge({
    name: `${ns}_grid_rows`,
    help: "Rows served from each grid of the latest data (a grid absent from the data keeps its last value).",
    labelNames: ["app_id", "grid"] as const,
    registers,
  });
  const gridRowLimitReached = new Gauge({
    name: `${ns}_grid_row_limit_reached`,
    help: "1 when the rows the upstream sent for a grid reached the grid's limit (rows may have been cut), else 0.",
    labelNames: ["app_id", "grid"] as const,
    registers,
  });
  const percentScaleSuspect = new Gauge({
    name: `${ns}_percent_scale_suspect`,
    help: "Percent totals and columns whose values cannot be on their configured percent_scale (the log names each, with the fix).",
    registers,
  });
  const setPollerState = (current: PollerState) => {
    for (const state of POLLER_STATES) pollerState.set({ state }, state === current ? 1 : 0);
  };
  setPollerState("authenticating");
  return {
    up,
    lastSuccessTimestamp,
    pollDuration,
    errors,
    logins,
    subscriptionsCreated,
    invalidValues,
    statisticSeries,
    pollerState,
    statisticSeriesCut,
    gridRowsCut,
    gridRows,
    gridRowLimitReached,
    percentScaleSuspect,
    setPollerState,
  };
}

function registerProcessMetrics(ns: string, version: string, registry: Registry): Pick<ProcessSelfMetrics, "configReloadSuccessful" | "configReloadSuccessTimestamp"> {
  const registers = [registry];
  const buildInfo = new Gauge({
    name: `${ns}_build_info`,
    help: "Version of the exporter and of Node.js; the value is always 1.",
    labelNames: ["version", "node_version"] as const,
    registers,
  });
  buildInfo.set({ version, node_version: process.version }, 1);
  const configReloadSuccessful = new Gauge({
    name: `${ns}_config_last_reload_successful`,
    help: "1 when the last config (re)load succeeded, else 0.",
    registers,
  });
  const configReloadSuccessTimestamp = new Gauge({
    name: `${ns}_config_last_reload_success_timestamp_seconds`,
    help: "Unix time of the last successful config (re)load, in seconds.",
    registers,
  });
  return { configReloadSuccessful, configReloadSuccessTimestamp };
}

function processRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client names three gauges *_total, which fails `promtool check metrics`; their per-type siblings
  // (nodejs_active_handles{type}, ...) carry the same information.
  for (const name of ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"]) {
    registry.removeSingleMetric(name);
  }
  return registry;
}

/** A single-tenant exporter's self-metrics, all in one registry. */
export function createSelfMetrics(options: { namespace: string; version: string }): SelfMetrics {
  const registry = processRegistry();
  const tenant = registerTenantMetrics(options.namespace, registry);
  const processMetrics = registerProcessMetrics(options.namespace, options.version, registry);
  return { registry, ...tenant, ...processMetrics, ...cachedRender(registry) };
}

/** With several tenants: the process-wide part, without a tenant label. */
export function createProcessSelfMetrics(options: { namespace: string; version: string }): ProcessSelfMetrics {
  const registry = processRegistry();
  return { registry, ...registerProcessMetrics(options.namespace, options.version, registry), ...cachedRender(registry) };
}

/** With several tenants: one tenant's poll-loop metrics, each series labelled tenant="NAME". */
export function createTenantSelfMetrics(options: { namespace: string; tenant: string }): TenantSelfMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ [TENANT_LABEL]: options.tenant });
  return { registry, ...registerTenantMetrics(options.namespace, registry), ...cachedRender(registry) };
}
