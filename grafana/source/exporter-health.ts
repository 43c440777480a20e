// The exporter-health dashboard, for whoever runs the exporter. `job` is single-select and
// `instance` offers only the exporter's own instances (no ".*"), so the process panels never match
// other targets of a shared Prometheus.
import { dashboard } from "./dashboard.js";
import { COLOUR, type Json, UNIT, rising, stat, timeseries } from "./panels.js";
import { THRESHOLDS } from "./thresholds.js";
import { datasourceVariable, queryVariable } from "./variables.js";

const SEL = `job="$job", instance=~"$instance"`;
/** The poll self-metrics carry `tenant` with several tenants (All is ".*", which also matches none). */
const POLL = `${SEL}, tenant=~"$tenant"`;
const NO_EXPORTER = "No data: Prometheus has nothing from the exporter for this job and instance";
const upMappings = (): Json[] => [{ type: "value", options: { "1": { text: "UP", color: COLOUR.good, index: 0 }, "0": { text: "DOWN", color: COLOUR.bad, index: 1 } } }];
const upThresholds = (): Json => ({ mode: "absolute", steps: [{ color: COLOUR.bad, value: null }, { color: COLOUR.good, value: 1 }] });

/** Poller states: polling is good, backoff bad, the way there blue, shutting down grey. */
const POLLER_STATES: Record<string, string> = {
  polling: COLOUR.good,
  authenticating: COLOUR.info,
  subscribing: COLOUR.info,
  backoff: COLOUR.bad,
  stopping: COLOUR.neutral,
  stopped: COLOUR.neutral,
};

function statusRow(): Json[] {
  const at = (x: number): { x: number; y: number; w: number; h: number } => ({ x, y: 0, w: 4, h: 5 });
  const lastSuccess = `brightpattern_last_success_timestamp_seconds{${POLL}}`;
  return [
    stat({ title: "Target up", description: "Prometheus's scrape of the exporter (up).", gridPos: at(0), queries: [{ expr: `up{${SEL}}`, legend: "{{instance}}", instant: true }], unit: UNIT.count, noValue: NO_EXPORTER, thresholds: upThresholds(), mappings: upMappings() }),
    stat({ title: "Stats API up", description: "1 when the exporter's last poll of the Stats API got data (brightpattern_up).", gridPos: at(4), queries: [{ expr: `brightpattern_up{${POLL}}`, legend: "{{instance}} {{tenant}}", instant: true }], unit: UNIT.count, noValue: NO_EXPORTER, thresholds: upThresholds(), mappings: upMappings() }),
    stat({
      title: "Data age",
      description: `Time since the last successful poll, hh:mm:ss; "Waiting for the first answer" until the first poll succeeds (the timestamp is 0 until then).`,
      gridPos: at(8),
      queries: [{ expr: `time() - ${lastSuccess} and ${lastSuccess} > 0 or (${lastSuccess} == 0) - 1`, legend: "{{instance}}", instant: true }],
      unit: UNIT.duration,
      noValue: NO_EXPORTER,
      thresholds: rising(THRESHOLDS.dataAge),
      mappings: [{ type: "value", options: { "-1": { text: "Waiting for the first answer", color: COLOUR.neutral, index: 0 } } }],
    }),
    stat({
      title: "Poller state",
      description: "The exporter's connection to the Stats API (brightpattern_poller_state): polling green, authenticating and subscribing blue, backoff red, stopping grey.",
      gridPos: at(12),
      queries: [{ expr: `max by (state) (brightpattern_poller_state{${POLL}} == 1)`, instant: true, table: true }],
      unit: UNIT.text,
      noValue: NO_EXPORTER,
      fields: "/^state$/",
      mappings: [{ type: "value", options: Object.fromEntries(Object.entries(POLLER_STATES).map(([state, color], index) => [state, { text: state, color, index }])) }],
      textMode: "value",
    }),
    stat({ title: "Statistic series", description: "Series in the statistic exposition (brightpattern_statistic_series; 0 when the data is stale).", gridPos: at(16), queries: [{ expr: `sum(brightpattern_statistic_series{${POLL}})`, legend: "series", instant: true }], unit: UNIT.count, noValue: NO_EXPORTER }),
    stat({ title: "Version", description: "Exporter and Node.js versions (brightpattern_build_info).", gridPos: at(20), queries: [{ expr: `brightpattern_build_info{${SEL}}`, legend: "{{version}} (Node {{node_version}})", instant: true }], unit: UNIT.count, noValue: NO_EXPORTER, textMode: "name" }),
  ];
}

function charts(): Json[] {
  const rate = (metric: string): string => `rate(${metric}{${metric.startsWith("brightpattern_") ? POLL : SEL}}[$__rate_interval])`;
  const quantile = (q: number): { expr: string; legend: string } => ({ expr: `histogram_quantile(${q}, sum by (le) (${rate("brightpattern_poll_duration_seconds_bucket")}))`, legend: `p${q * 100}` });
  return [
    timeseries({ title: "Poll duration", description: "Quantiles of the Stats API poll duration (brightpattern_poll_duration_seconds).", gridPos: { x: 0, y: 5, w: 12, h: 8 }, queries: [quantile(0.5), quantile(0.9), quantile(0.99)], unit: UNIT.seconds, noValue: NO_EXPORTER }),
    timeseries({
      title: "Errors by reason",
      description: "Errors talking to the Stats API per second, by reason (brightpattern_errors_total); only reasons with errors are drawn.",
      gridPos: { x: 12, y: 5, w: 12, h: 8 },
      queries: [{ expr: `sum by (reason) (${rate("brightpattern_errors_total")}) > 0`, legend: "{{reason}}" }],
      unit: UNIT.perSecond,
      noValue: "No errors",
    }),
    timeseries({
      title: "Data age over time",
      description: "Time since the last successful poll, per instance (none drawn before the first success).",
      gridPos: { x: 0, y: 13, w: 8, h: 8 },
      queries: [{ expr: `time() - brightpattern_last_success_timestamp_seconds{${POLL}} and brightpattern_last_success_timestamp_seconds{${POLL}} > 0`, legend: "{{instance}}" }],
      unit: UNIT.duration,
      noValue: "No successful poll yet",
      thresholds: rising(THRESHOLDS.dataAge),
      thresholdLines: true,
    }),
    timeseries({
      title: "Logins and subscriptions · in the hour before",
      description: "Each point counts the logins (by result) and subscriptions created in the hour before it (increase over 1h).",
      gridPos: { x: 8, y: 13, w: 8, h: 8 },
      queries: [
        { expr: `sum by (result) (increase(brightpattern_logins_total{${POLL}}[1h]))`, legend: "logins ({{result}})" },
        { expr: `sum(increase(brightpattern_subscriptions_created_total{${POLL}}[1h]))`, legend: "subscriptions created" },
      ],
      unit: UNIT.count,
      noValue: NO_EXPORTER,
    }),
    timeseries({
      title: "Series and invalid values",
      description: "Series in the statistic exposition, and values per second that could not be parsed (brightpattern_invalid_values_total).",
      gridPos: { x: 16, y: 13, w: 8, h: 8 },
      queries: [
        { expr: `sum(brightpattern_statistic_series{${POLL}})`, legend: "series" },
        { expr: `sum(${rate("brightpattern_invalid_values_total")})`, legend: "invalid values/s" },
      ],
      unit: UNIT.count,
      noValue: NO_EXPORTER,
    }),
    timeseries({
      title: "Process memory",
      description: "Resident memory and V8 heap used of each exporter process.",
      gridPos: { x: 0, y: 21, w: 8, h: 8 },
      queries: [
        { expr: `process_resident_memory_bytes{${SEL}}`, legend: "resident {{instance}}" },
        { expr: `nodejs_heap_size_used_bytes{${SEL}}`, legend: "heap used {{instance}}" },
      ],
      unit: UNIT.bytes,
      noValue: NO_EXPORTER,
    }),
    timeseries({ title: "CPU", description: "CPU seconds per second of each exporter process.", gridPos: { x: 8, y: 21, w: 8, h: 8 }, queries: [{ expr: rate("process_cpu_seconds_total"), legend: "{{instance}}" }], unit: UNIT.ratio, noValue: NO_EXPORTER }),
    timeseries({ title: "Event loop lag", description: "p99 event-loop lag of each exporter process (nodejs_eventloop_lag_p99_seconds).", gridPos: { x: 16, y: 21, w: 8, h: 8 }, queries: [{ expr: `nodejs_eventloop_lag_p99_seconds{${SEL}}`, legend: "{{instance}}" }], unit: UNIT.seconds, noValue: NO_EXPORTER }),
  ];
}

export function exporterHealth(): Json {
  return dashboard({
    uid: "brightpattern-exporter",
    title: "Bright Pattern exporter health",
    description: "Health of brightpattern-exporter: scrape and upstream status, poll latency, errors, logins, data age, series and process resources.",
    tags: ["brightpattern", "exporter"],
    refresh: "30s",
    from: "now-3h",
    variables: [
      datasourceVariable(),
      queryVariable({ name: "job", label: "Job", query: "label_values(brightpattern_build_info, job)" }),
      // No allValue: "All" is Grafana's (a|b|…) of the exporter's instances, never ".*".
      queryVariable({ name: "instance", label: "Instance", query: 'label_values(brightpattern_build_info{job="$job"}, instance)', multi: {} }),
      // With tenants: the poll self-metrics of some or all tenants (the process panels are per instance).
      queryVariable({ name: "tenant", label: "Tenant", query: 'label_values(brightpattern_up{job="$job"}, tenant)', multi: { allValue: ".*" } }),
    ],
    links: [{ title: "Wallboard", uid: "brightpattern-wallboard", includeVars: false }],
    panels: () => [...statusRow(), ...charts()],
  });
}
