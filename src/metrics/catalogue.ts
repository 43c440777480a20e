// The statistics the exporter knows (reference/statsapi.md, "Known statistic names"): their value type,
// a help text a supervisor understands, where they may be requested, and explicit names where the
// generic rule (statistic name + unit suffix) reads badly. Unknown statistics pass through, auto-typed.
import type { ColumnType } from "../config/types.js";

export type StatisticScope = "totals" | "service" | "agent";

export interface StatisticInfo {
  type: ColumnType;
  /** One sentence, with the unit; the plan adds the scope ("One series per agent."). */
  help: string;
  scopes: readonly StatisticScope[];
  /** Metric name part, before the unit suffix, when the statistic's own name reads badly. */
  metric?: string;
  /** Label name of a `label` statistic in the scope's `_info` family. */
  label?: string;
  /**
   * Text that changes with the agent's state (not-ready reason, media type): in a grid it gets an `_info` family of
   * its own (`<scope>_<label>_info`, a series only while there is a value) so the stable `_info` series do not churn.
   */
  volatile?: true;
  /** For `state` statistics: the state an empty value means (default `logged_out`). */
  emptyState?: string;
}

const T = "totals";
const S = "service";
const A = "agent";

export const KNOWN_STATISTICS: Readonly<Record<string, StatisticInfo>> = {
  // ---- calls and services
  in_calls_waiting: { type: "number", scopes: [T, S], help: "Inbound calls waiting in queue now (calls)." },
  in_max_wait_time: { type: "duration", scopes: [T, S], help: "How long the longest-waiting inbound call has waited, in seconds." },
  in_calls_queued_per_day: { type: "number", scopes: [T], help: "Inbound calls queued today (calls)." },
  in_calls_received_per_day: { type: "number", scopes: [T, S], help: "Inbound calls received today (calls)." },
  in_calls_abandoned_in_queue_per_day: {
    type: "number",
    scopes: [T, S],
    help: 'Inbound calls abandoned in queue today after the short-abandon threshold ("long abandoned" in the vendor\'s wallboard) (calls).',
  },
  in_calls_short_abandoned_in_queue_per_day: {
    type: "number",
    scopes: [T, S],
    help: "Inbound calls abandoned in queue within the short-abandon threshold today (calls).",
  },
  in_calls_abandoned_total_per_day: {
    type: "number",
    scopes: [S],
    metric: "in_calls_abandoned_per_day", // a gauge must not end in _total
    help: "Inbound calls abandoned today, in queue or elsewhere (calls).",
  },
  in_calls_abandoned_in_queue_ratio_per_day: {
    type: "percent",
    scopes: [T, S],
    metric: "in_calls_abandoned_in_queue_per_day",
    help: 'Share of today\'s inbound calls abandoned in queue after the short-abandon threshold ("long abandoned"), as a ratio from 0 to 1.',
  },
  in_calls_short_abandoned_in_queue_ratio_per_day: {
    type: "percent",
    scopes: [T, S],
    metric: "in_calls_short_abandoned_in_queue_per_day",
    help: "Share of today's inbound calls abandoned in queue within the short-abandon threshold, as a ratio from 0 to 1.",
  },
  in_calls_abandoned_percent_per_day: {
    type: "percent",
    scopes: [S],
    metric: "in_calls_abandoned_per_day",
    help: "Share of today's inbound calls that were abandoned, as a ratio from 0 to 1.",
  },
  service_level: {
    type: "percent",
    scopes: [T, S],
    help: "Share of today's inbound calls answered within the service level threshold, as a ratio from 0 to 1.",
  },
  service_level_threshold_time: {
    type: "duration",
    scopes: [T, S],
    help: "Service level threshold: the time within which a call should be answered, in seconds.",
  },
  service_level_target: { type: "percent", scopes: [S], help: "Service level target, as a ratio from 0 to 1." },
  out_calls_answered_per_day: { type: "number", scopes: [T], help: "Outbound calls answered today (calls)." },
  agents_logged: { type: "number", scopes: [T, S], metric: "agents_logged_in", help: "Agents logged in now (agents)." },
  agents_ready: { type: "number", scopes: [T], help: "Agents ready to take a call now (agents)." },
  agents_busy: { type: "number", scopes: [S], help: "Agents busy handling an interaction now (agents)." },
  in_average_speed_of_answer: {
    type: "duration",
    scopes: [T],
    help: "Average time inbound calls waited before being answered today, in seconds.",
  },
  name: { type: "label", scopes: [S], label: "name", help: "The service name." },

  // ---- agents
  login_id: { type: "label", scopes: [A], label: "login_id", help: "The agent's login id." },
  firstname: { type: "label", scopes: [A], label: "first_name", help: "The agent's first name." },
  lastname: { type: "label", scopes: [A], label: "last_name", help: "The agent's last name." },
  first_last_name: { type: "label", scopes: [A], label: "full_name", help: "The agent's first and last name." },
  last_first_name: { type: "label", scopes: [A], label: "last_first_name", help: "The agent's last and first name." },
  extension: {
    type: "label",
    scopes: [A],
    label: "extension",
    help: "The agent's phone extension (a statistic no vendor source we found lists; kept for configs that ask for it).",
  },
  team_name: { type: "label", scopes: [A], label: "team_name", help: "The agent's team." },
  reason: {
    type: "label",
    scopes: [A],
    label: "reason",
    volatile: true,
    help: "Why the agent is not ready (free text), while there is a reason; the value is always 1.",
  },
  active_item_media_type: {
    type: "label",
    scopes: [A],
    label: "media_type",
    volatile: true,
    help: "Media type of the interaction the agent is handling (e.g. voice, chat, email), while it handles one; the value is always 1.",
  },
  acd_state: {
    type: "state",
    scopes: [A],
    metric: "state",
    help: "The agent's ACD state: 1 for the current state, 0 for the others; logged_out when not logged in.",
  },
  acd_next_state: {
    type: "state",
    scopes: [A],
    metric: "next_state",
    emptyState: "none",
    help:
      "The ACD state the agent will enter after the current interaction: 1 for that state, 0 for the others; none when nothing is pending " +
      "(a statistic no vendor source we found lists; kept for configs that ask for it).",
  },
  state_ic: {
    type: "state",
    scopes: [A],
    metric: "state_ic",
    help: "The agent's state as the vendor's statistic state_ic gives it (its exact meaning is undocumented): 1 for the current state, 0 for the others.",
  },
  state_duration: { type: "duration", scopes: [A], help: "Time the agent has been in the current ACD state, in seconds." },
  login_time: { type: "duration", scopes: [A], metric: "login_duration", help: "Time since the agent logged in, in seconds." },
  in_calls_handled_per_day: { type: "number", scopes: [A], help: "Inbound calls the agent handled today (calls)." },
  out_calls_handled_per_day: { type: "number", scopes: [A], help: "Outbound calls the agent handled today (calls)." },
  calls_dispositions_per_day: {
    type: "number",
    scopes: [A],
    help: "Calls the agent closed today with the column's dispositions (calls).",
  },
  agent_total_break_time: { type: "duration", scopes: [A], metric: "total_break_time", help: "Time the agent spent on break today, in seconds." },
  agent_total_busy_time: { type: "duration", scopes: [A], metric: "total_busy_time", help: "Time the agent spent busy today, in seconds." },
  agent_total_ACW_time: {
    type: "duration",
    scopes: [A],
    metric: "total_after_call_work_time",
    help: "Time the agent spent in after-call work today, in seconds.",
  },
  agent_total_ready_time: { type: "duration", scopes: [A], metric: "total_ready_time", help: "Time the agent spent ready today, in seconds." },
  calls_average_handling_time_per_day: {
    type: "duration",
    scopes: [A],
    help: "Average handling time of the agent's inbound calls today (outbound calls are not counted), in seconds.",
  },
  active_item_talk_duration: {
    type: "duration",
    scopes: [A],
    help: "Talk time of the interaction the agent is handling now, in seconds.",
  },
  active_item_hold_duration: {
    type: "duration",
    scopes: [A],
    help: "Hold time of the interaction the agent is handling now, in seconds.",
  },
};

/** The catalogue entry of a statistic name (case-sensitive), or undefined when unknown. */
export function knownStatistic(statName: string): StatisticInfo | undefined {
  return Object.hasOwn(KNOWN_STATISTICS, statName) ? KNOWN_STATISTICS[statName] : undefined;
}
