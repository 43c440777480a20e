// The validated, normalised configuration the rest of the program uses.
// Durations are milliseconds, secrets are resolved (from *_file or ${ENV}).
// The zod schema in schema.ts produces exactly these types.

export type ColumnType = "number" | "duration" | "percent" | "timestamp" | "state" | "label";
export type PercentScale = 1 | 100;
export type ColumnKey = "stat_name" | "statName";
export type OrderDir = "ASC" | "DESC";
export type FilterOperation = "EQ" | "NE" | "LT" | "GT" | "LE" | "GE";

/** How one value (a total or a grid column) becomes a metric. All optional: the catalogue fills the gaps. */
export interface ValueMapping {
  /** Overrides the catalogue's type (and the type guessed from values for unknown statistics). */
  type?: ColumnType;
  /** Metric name part after the namespace and scope prefix, used as is (e.g. "abandoned_calls"). */
  metric?: string;
  /** Label name for `label` columns (they go to the scope's `_info` family). */
  label?: string;
  /** The upstream scale of a `percent` value: 100 means "85" is 85 %, 1 means "0.85" is 85 %. */
  percent_scale?: PercentScale;
}

export interface TotalConfig extends ValueMapping {
  stat_name: string;
}

export interface ColumnConfig extends ValueMapping {
  id: string;
  /** A statistic protocol name, or "SUM" with sum_stat_names. */
  stat_name: string;
  sum_stat_names?: string[];
  dispositions?: string[];
}

export interface GridConfig {
  id: string;
  columns: ColumnConfig[];
  order_by?: string;
  order_dir?: OrderDir;
  limit?: number;
  filter_by?: string;
  filter_value?: string;
  filter_operation?: FilterOperation;
  /** Column id whose value identifies a row. Default: the column with stat_name `login_id` (agents) or `name` (services). */
  key: string;
  /** Fields the exporter does not know (team_ids, service_ids, logged_in_agents_only, order, ...): sent upstream as they are. */
  extra: Record<string, unknown>;
}

export interface ChatMessagesConfig {
  filter?: string;
  limit: number;
}

export interface AppConfig {
  app_id: string;
  stats_totals: TotalConfig[];
  stats_totals_service_ids?: string[];
  stats_totals_dispositions?: string[];
  service_grids: GridConfig[];
  agent_grids: GridConfig[];
  chat_messages?: ChatMessagesConfig;
}

export interface OAuthAuthConfig {
  method: "oauth";
  client_id: string;
  client_secret: string;
  /** Path of the token endpoint, default /configapi/v2/oauth/token. */
  token_path: string;
}

export interface SessionAuthConfig {
  method: "session";
  username: string;
  password: string;
}

export type AuthConfig = OAuthAuthConfig | SessionAuthConfig;

export interface TlsConfig {
  ca_file?: string;
  /** PEM content of ca_file, read at load time. */
  ca?: string;
  insecure_skip_verify: boolean;
}

export interface UpstreamConfig {
  /** scheme://host:port, no path. */
  url: string;
  tenant_url: string;
  timeout_ms: number;
  column_key: ColumnKey;
  tls: TlsConfig;
  auth: AuthConfig;
}

export interface PollConfig {
  interval_ms: number;
  max_backoff_ms: number;
  stale_after_ms: number;
}

export interface WebConfig {
  /** host:port; ":9737" means all interfaces. */
  listen_address: string;
  metrics_path: string;
  /** Optional exporter-toolkit style web config (TLS, basic auth). */
  config_file?: string;
  /** Serve POST /-/reload (default false). */
  enable_lifecycle: boolean;
}

export interface MetricsConfig {
  namespace: string;
  max_label_length: number;
  /** Series served at most; the rest of a poll is cut (counted in brightpattern_statistic_series_cut). */
  max_series: number;
  /** Rows of a grid without its own `limit` served at most. */
  max_grid_rows: number;
  percent_scale: { totals: PercentScale; grids: PercentScale };
  /**
   * Where text that changes with an agent's state (not-ready reason, media type) goes: labels of the grid's `_info`
   * family (a new info series at each change), or `_info` families of their own, one series per agent at most.
   */
  volatile_labels: "agent_info" | "own_families";
}

export interface SubscriptionConfig {
  apps: AppConfig[];
}

/** The settings of one tenant (for a single-tenant file: the file itself). `web` and `metrics` are the file's, shared. */
export interface Config {
  upstream: UpstreamConfig;
  poll: PollConfig;
  web: WebConfig;
  metrics: MetricsConfig;
  subscription: SubscriptionConfig;
}

/** One entry of `tenants:` or one file of `tenants_dir:`. */
export interface TenantConfig {
  /** The value of the `tenant` label, unique in the config. */
  name: string;
  /** The file (tenants_dir) or YAML path (tenants) it came from, for messages. */
  source: string;
  /** Its complete settings: its own upstream and subscription, the file's poll with its overrides, web and metrics. */
  config: Config;
}

/**
 * A config file: the single-tenant form (upstream + subscription: no `tenant` label, today's metrics exactly)
 * or the multi-tenant form (`tenants:` and/or `tenants_dir:`: every series carries `tenant`).
 */
export type ConfigFile =
  | { kind: "single"; config: Config }
  | { kind: "tenants"; web: WebConfig; metrics: MetricsConfig; poll: PollConfig; tenants: TenantConfig[]; tenants_dir?: string };

/** One problem found in a config: where (a YAML path like `subscription.apps[0].agent_grids[1].order_by`) and what. */
export interface ConfigIssue {
  path: string;
  message: string;
}
