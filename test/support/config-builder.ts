// Configs built in code for the metric tests: only what the metric plan reads is meaningful.
import { parseConfig } from "../../src/config/load.js";
import type { AppConfig, ColumnConfig, Config, GridConfig, TotalConfig } from "../../src/config/types.js";
import { validTree } from "./config-tree.js";

export function grid(id: string, columns: ColumnConfig[], key = columns[0]?.id ?? ""): GridConfig {
  return { id, columns, key, extra: {} };
}

export function app(parts: Partial<AppConfig>): AppConfig {
  return { app_id: "wb", stats_totals: [], service_grids: [], agent_grids: [], ...parts };
}

// Everything but the subscription and metrics comes from the real schema's defaults, not a hand-written copy.
const BASE: Config = await parseConfig(JSON.stringify(validTree()));

export function config(apps: AppConfig[], metrics: Partial<Config["metrics"]> = {}): Config {
  return { ...BASE, metrics: { ...BASE.metrics, ...metrics }, subscription: { apps } };
}

export const totals = (...stats: (string | TotalConfig)[]): TotalConfig[] => stats.map((s) => (typeof s === "string" ? { stat_name: s } : s));
export const col = (id: string, stat_name = id, more: Partial<ColumnConfig> = {}): ColumnConfig => ({ id, stat_name, ...more });
export const agentKey = col("login", "login_id");
export const serviceKey = col("svc", "name");
