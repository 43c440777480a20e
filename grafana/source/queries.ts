// The PromQL of the wallboards. Template variables cannot double count: one app (single select),
// one service grid and one agent grid (separate single-select variables), and every query takes
// `max` over the series of one statistic, so two exporter replicas scraping the same tenant show
// one number, and every table query is aggregated to its row labels (no `__name__`, `job`,
// `instance` columns, so Grafana's merge joins the rows).
import { REASON } from "./panels.js";

/** The tenant (empty, matching series without the label, for a single-tenant exporter) and the app. */
export const TENANT = `tenant=~"$tenant"`;
export const APP = `${TENANT}, app_id="$app_id"`;
export const SERVICES = `${APP}, grid="$service_grid"`;
export const AGENTS = `${APP}, grid="$agent_grid"`;

export const total = (stat: string): string => `max(brightpattern_${stat}{${APP}})`;
export const perService = (stat: string, filter = ""): string => `max by (service_name) (brightpattern_service_${stat}{${SERVICES}${filter}})`;
export const perAgent = (stat: string, filter = ""): string => `max by (agent) (brightpattern_agent_${stat}{${AGENTS}${filter}})`;

/** The agents of the agent grid in one state now, one series per agent. */
export const agentsIn = (stateMatcher: string, filter = ""): string => `max by (agent) (brightpattern_agent_state{${AGENTS}, state${stateMatcher}${filter}}) == 1`;

/**
 * Each agent's not-ready reason, one series per agent of the grid: brightpattern_agent_reason_info has
 * a series only while the agent gives a reason, so the agents without one come from agent_info, with no
 * `reason` label (Prometheus' form of an empty one).
 */
export const agentReasons = (filter = ""): string =>
  `max by (agent, reason) (brightpattern_agent_reason_info{${AGENTS}${filter}}) or on (agent) max by (agent) (brightpattern_agent_info{${AGENTS}${filter}})`;

/** The agent grid's agents that are logged in (any state but logged_out). */
export const LOGGED_IN = agentsIn(`!="logged_out"`);

/**
 * When `expr` has nothing, says why as a number the panel maps to a text (REASON): the exporter
 * has not answered yet, its data is stale (statistic series dropped), or it serves data but not
 * this statistic. `zeroWhen`, when given, answers 0 instead while that selector has series (a
 * count of nobody is 0, not missing). With no exporter series at all, the answer stays empty.
 */
export function withReason(expr: string, zeroWhen?: string): string {
  const lastSuccess = `max(brightpattern_last_success_timestamp_seconds{${TENANT}})`;
  const series = `max(brightpattern_statistic_series{${TENANT}})`;
  return [
    `(${expr})`,
    ...(zeroWhen ? [`(vector(0) and on () count(${zeroWhen}) > 0)`] : []),
    `(vector(${REASON.waiting.value}) and on () ${lastSuccess} == 0)`,
    `(vector(${REASON.stale.value}) and on () ${series} == 0)`,
    `(vector(${REASON.notConfigured.value}) and on () ${series} > 0)`,
  ].join(" or on () ");
}

/** a / b, or nothing while b is 0 (no calls yet: no rate to show). */
export const ratio = (a: string, b: string): string => `${a} / (${b} > 0)`;
