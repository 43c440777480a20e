// The exporter's own metric families (exporter/self-metrics.ts registers them): a statistic family must
// not take one of these names, so the metric plan checks against this list.

// Family names after the namespace, with the series a histogram adds.
export const SELF_FAMILIES = [
  "up",
  "last_success_timestamp_seconds",
  "poll_duration_seconds",
  "poll_duration_seconds_bucket",
  "poll_duration_seconds_sum",
  "poll_duration_seconds_count",
  "errors_total",
  "logins_total",
  "subscriptions_created_total",
  "invalid_values_total",
  "statistic_series",
  "statistic_series_cut",
  "grid_rows_cut",
  "build_info",
  "poller_state",
  "grid_rows",
  "grid_row_limit_reached",
  "percent_scale_suspect",
  "config_last_reload_successful",
  "config_last_reload_success_timestamp_seconds",
] as const;

/** Names a statistic family must not take (Node process and nodejs metrics are checked by prefix). */
export function selfMetricNames(namespace: string): string[] {
  return SELF_FAMILIES.map((name) => `${namespace}_${name}`);
}
