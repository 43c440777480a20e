// Config → the Stats API subscription request body (the seed's shape, keyed by app id). Pure.
import type { AppConfig, ColumnConfig, ColumnKey, Config, GridConfig } from "../config/types.js";
import type { AppRequest, ColumnRequest, GridRequest, SubscriptionRequest } from "./types.js";

function columnRequest(column: ColumnConfig, columnKey: ColumnKey): ColumnRequest {
  // Exporter-only mapping keys (type, metric, label, percent_scale) stay here.
  const request: ColumnRequest = { id: column.id, [columnKey]: column.stat_name };
  if (column.sum_stat_names !== undefined) request.sum_stat_names = [...column.sum_stat_names];
  if (column.dispositions !== undefined) request.dispositions = [...column.dispositions];
  return request;
}

function gridRequest(grid: GridConfig, columnKey: ColumnKey): GridRequest {
  // extra first: the fields the exporter knows always win over pass-through keys of the same name.
  const request: GridRequest = { ...structuredClone(grid.extra), id: grid.id, columns: grid.columns.map((c) => columnRequest(c, columnKey)) };
  if (grid.order_by !== undefined) request.order_by = grid.order_by;
  if (grid.order_dir !== undefined) request.order_dir = grid.order_dir;
  // The seed writes the limit as a string ("<count of top records>").
  if (grid.limit !== undefined) request.limit = String(grid.limit);
  if (grid.filter_by !== undefined) request.filter_by = grid.filter_by;
  if (grid.filter_value !== undefined) request.filter_value = grid.filter_value;
  if (grid.filter_operation !== undefined) request.filter_operation = grid.filter_operation;
  return request;
}

function appRequest(app: AppConfig, columnKey: ColumnKey): AppRequest {
  const request: AppRequest = {};
  if (app.stats_totals.length > 0) request.stats_totals = app.stats_totals.map((t) => t.stat_name);
  if (app.stats_totals_service_ids !== undefined) request.stats_totals_service_ids = [...app.stats_totals_service_ids];
  if (app.stats_totals_dispositions !== undefined) request.stats_totals_dispositions = [...app.stats_totals_dispositions];
  if (app.service_grids.length > 0) request.service_grids = app.service_grids.map((g) => gridRequest(g, columnKey));
  if (app.agent_grids.length > 0) request.agent_grids = app.agent_grids.map((g) => gridRequest(g, columnKey));
  if (app.chat_messages !== undefined) {
    const { filter, limit } = app.chat_messages;
    request.chat_messages = filter === undefined ? { limit: String(limit) } : { filter, limit: String(limit) };
  }
  return request;
}

export function buildSubscriptionRequest(config: Config): SubscriptionRequest {
  // fromEntries: an app id like "__proto__" stays a plain key.
  return Object.fromEntries(config.subscription.apps.map((app) => [app.app_id, appRequest(app, config.upstream.column_key)]));
}
