// Configs built in code for the metric tests: only what the metric plan reads is meaningful.
import type { AppConfig, ColumnConfig, Config, GridConfig, TotalConfig } from "../../../src/config/types.js";

export function grid(id: string, columns: ColumnConfig[], key = columns[0]?.id ?? ""): GridConfig {
  return { id, columns, key, extra: {} };
}

export function app(parts: Partial<AppConfig>): AppConfig {
  return { app_id: "wb", stats_totals: [], service_grids: [], agent_grids: [], ...parts };
}

export function config(apps: AppConfig[], metrics: Partial<Config["metrics"]> = {}): Config {
  return {
    upstream: {
      url: "https://bp.example.com",
      tenant_url: "t",
      timeout_ms: 5000,
      column_key: "stat_name",
      tls: { insecure_skip_verify: false },
      auth: { method: "oauth", client_id: "c", client_secret: "s", token_path: "/t" },
    },
    poll: { interval_ms: 3000, max_backoff_ms: 60000, stale_after_ms: 30000 },
    web: { listen_address: ":9737", metrics_path: "/metrics" },
    metrics: { namespace: "brightpattern", max_label_length: 256, percent_scale: { totals: 1, grids: 100 }, ...metrics },
    subscription: { apps },
  };
}

export const totals = (...stats: (string | TotalConfig)[]): TotalConfig[] => stats.map((s) => (typeof s === "string" ? { stat_name: s } : s));
export const col = (id: string, stat_name = id, more: Partial<ColumnConfig> = {}): ColumnConfig => ({ id, stat_name, ...more });
export const agentKey = col("login", "login_id");
export const serviceKey = col("svc", "name");
