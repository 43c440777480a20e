// Every statistic the simulator knows, and how its value (always a string, "" for none) comes out of the model.
// Service statistics are computed over a set of services: one service for a grid row, many for stats_totals.
import type { AcdState, AgentLive, ContactCenter } from "./contact-center.js";
import type { AgentProfile } from "./roster.js";

export type StatScope = "service" | "agent";
export type StatKind = "count" | "duration" | "percent" | "text";

export interface StatisticSpec {
  scope: StatScope;
  kind: StatKind;
  /** Totals only make sense for service statistics that aggregate; `name` does not. */
  totals: boolean;
}

const S = (kind: StatKind, totals = true): StatisticSpec => ({ scope: "service", kind, totals });
const A = (kind: StatKind): StatisticSpec => ({ scope: "agent", kind, totals: false });

// The reference's table; service statistics are accepted both in totals and service grids (aggregated the same way).
export const STATISTICS: Readonly<Record<string, StatisticSpec>> = {
  name: S("text", false),
  in_calls_waiting: S("count"),
  in_max_wait_time: S("duration"),
  in_calls_queued_per_day: S("count"),
  in_calls_received_per_day: S("count"),
  in_calls_abandoned_in_queue_per_day: S("count"),
  in_calls_short_abandoned_in_queue_per_day: S("count"),
  in_calls_abandoned_total_per_day: S("count"),
  in_calls_abandoned_in_queue_ratio_per_day: S("percent"),
  in_calls_short_abandoned_in_queue_ratio_per_day: S("percent"),
  in_calls_abandoned_percent_per_day: S("percent"),
  service_level: S("percent"),
  service_level_threshold_time: S("duration"),
  service_level_target: S("percent"),
  out_calls_answered_per_day: S("count"),
  agents_logged: S("count"),
  agents_ready: S("count"),
  agents_busy: S("count"),
  in_average_speed_of_answer: S("duration"),
  login_id: A("text"),
  firstname: A("text"),
  lastname: A("text"),
  first_last_name: A("text"),
  last_first_name: A("text"),
  extension: A("text"),
  team_name: A("text"),
  acd_state: A("text"),
  acd_next_state: A("text"),
  reason: A("text"),
  state_duration: A("duration"),
  login_time: A("duration"),
  in_calls_handled_per_day: A("count"),
  out_calls_handled_per_day: A("count"),
  calls_dispositions_per_day: A("count"),
  agent_total_break_time: A("duration"),
  agent_total_busy_time: A("duration"),
  agent_total_ACW_time: A("duration"),
  agent_total_ready_time: A("duration"),
  calls_average_handling_time_per_day: A("duration"),
  active_item_talk_duration: A("duration"),
  active_item_hold_duration: A("duration"),
  active_item_media_type: A("text"),
};

export const isNumericStatistic = (name: string): boolean => STATISTICS[name]?.kind !== "text";

/** Percent scale: totals 0–1, grids 0–100 (what the vendor's wallboard implies; unsettled upstream). */
export type PercentScale = 1 | 100;

/** part/whole on `scale` with four significant decimals of the ratio (0.8523 or 85.23); "" when whole is 0. */
const ratio = (part: number, whole: number, scale: PercentScale): string =>
  whole === 0 ? "" : String(Number(((part / whole) * scale).toFixed(scale === 1 ? 4 : 2)));

/** Agents logged in / ready / busy per service, recomputed once per model version. */
export interface ServiceStaffing {
  version: number;
  logged: Int32Array;
  ready: Int32Array;
  busy: Int32Array;
}

export function staffingOf(center: ContactCenter): ServiceStaffing {
  const n = center.services.length;
  const staffing = { version: center.version, logged: new Int32Array(n), ready: new Int32Array(n), busy: new Int32Array(n) };
  center.agents.forEach((agent, i) => {
    if (agent.state === "") return;
    for (const s of center.roster.agents[i]?.services ?? []) {
      staffing.logged[s]!++;
      if (agent.state === "ready") staffing.ready[s]!++;
      else if (agent.state === "busy") staffing.busy[s]!++;
    }
  });
  return staffing;
}

/** Counts agents (each once) skilled for any of `services` and in one of the states `accept`s. */
function distinctAgents(center: ContactCenter, services: ReadonlySet<number>, accept: (a: AgentLive) => boolean): number {
  let count = 0;
  center.agents.forEach((agent, i) => {
    if (agent.state === "" || !accept(agent)) return;
    if ((center.roster.agents[i]?.services ?? []).some((s) => services.has(s))) count++;
  });
  return count;
}

/**
 * The value of a service statistic over `services` (indexes). A single service uses the cached staffing;
 * several (totals) count each agent once.
 */
export function serviceValue(
  center: ContactCenter,
  staffing: ServiceStaffing,
  stat: string,
  services: readonly number[],
  scale: PercentScale,
): string {
  let waiting = 0, maxWait = 0, queued = 0, received = 0, abandonedInQueue = 0, shortAbandoned = 0, abandonedTotal = 0;
  let answered = 0, answeredInSl = 0, answerWait = 0, outAnswered = 0;
  for (const s of services) {
    const live = center.services[s];
    if (live === undefined) continue;
    waiting += live.queueArrivals.length;
    const oldest = live.queueArrivals[0];
    if (oldest !== undefined) maxWait = Math.max(maxWait, center.clock - oldest);
    queued += live.queued;
    received += live.received;
    abandonedInQueue += live.abandonedInQueue;
    shortAbandoned += live.shortAbandonedInQueue;
    abandonedTotal += live.abandonedTotal;
    answered += live.answered;
    answeredInSl += live.answeredInSl;
    answerWait += live.answerWaitSeconds;
    outAnswered += live.outAnswered;
  }
  const first = center.roster.services[services[0] ?? -1];
  const agentCount = (pick: "logged" | "ready" | "busy"): string => {
    if (services.length === 1) return String(staffing[pick][services[0] as number] ?? 0);
    const set = new Set(services);
    const accept = pick === "logged" ? () => true : (a: AgentLive) => a.state === pick;
    return String(distinctAgents(center, set, accept));
  };
  switch (stat) {
    case "name": return first?.name ?? "";
    case "in_calls_waiting": return String(waiting);
    case "in_max_wait_time": return String(maxWait);
    case "in_calls_queued_per_day": return String(queued);
    case "in_calls_received_per_day": return String(received);
    case "in_calls_abandoned_in_queue_per_day": return String(abandonedInQueue);
    case "in_calls_short_abandoned_in_queue_per_day": return String(shortAbandoned);
    case "in_calls_abandoned_total_per_day": return String(abandonedTotal);
    case "in_calls_abandoned_in_queue_ratio_per_day": return ratio(abandonedInQueue, queued, scale);
    case "in_calls_short_abandoned_in_queue_ratio_per_day": return ratio(shortAbandoned, queued, scale);
    case "in_calls_abandoned_percent_per_day": return ratio(abandonedTotal, received, scale);
    case "service_level": return ratio(answeredInSl, answered, scale);
    case "service_level_threshold_time": return first === undefined ? "" : String(first.slThresholdSeconds);
    case "service_level_target": return first === undefined ? "" : ratio(first.slTarget, 1, scale);
    case "out_calls_answered_per_day": return String(outAnswered);
    case "agents_logged": return agentCount("logged");
    case "agents_ready": return agentCount("ready");
    case "agents_busy": return agentCount("busy");
    case "in_average_speed_of_answer": return answered === 0 ? "" : String(Math.round(answerWait / answered));
    default: return "";
  }
}

type AgentAccessor = (center: ContactCenter, agent: AgentLive, profile: AgentProfile, dispositions: readonly number[] | null) => string;

const stretch = (state: AcdState, closed: (a: AgentLive) => number): AgentAccessor => (center, agent) =>
  String(closed(agent) + (agent.state === state ? center.clock - agent.stateSince : 0));

// One accessor per statistic, chosen once per column: a 25 000-row grid must not re-dispatch on the name per cell.
const AGENT_VALUES: Readonly<Record<string, AgentAccessor>> = {
  login_id: (_c, _a, p) => p.loginId,
  firstname: (_c, _a, p) => p.firstName,
  lastname: (_c, _a, p) => p.lastName,
  first_last_name: (_c, _a, p) => `${p.firstName} ${p.lastName}`,
  last_first_name: (_c, _a, p) => `${p.lastName} ${p.firstName}`,
  extension: (_c, _a, p) => p.extension,
  team_name: (c, _a, p) => c.roster.teams[p.team]?.name ?? "",
  acd_state: (_c, a) => a.state,
  acd_next_state: (_c, a) => a.nextState,
  reason: (_c, a) => a.reason,
  state_duration: (c, a) => (a.state === "" ? "" : String(c.clock - a.stateSince)),
  login_time: (c, a) => (a.state === "" ? "" : String(c.clock - a.loginAt)),
  in_calls_handled_per_day: (_c, a) => String(a.inHandled),
  out_calls_handled_per_day: (_c, a) => String(a.outHandled),
  calls_dispositions_per_day: (_c, a, _p, d) => String(dispositionCount(a, d)),
  agent_total_break_time: stretch("not_ready", (a) => a.notReadySeconds),
  agent_total_busy_time: stretch("busy", (a) => a.busySeconds),
  agent_total_ACW_time: stretch("after_call_work", (a) => a.acwSeconds),
  agent_total_ready_time: stretch("ready", (a) => a.readySeconds),
  calls_average_handling_time_per_day: (_c, a) => {
    const handled = a.inHandled + a.outHandled;
    return handled === 0 ? "" : String(Math.round(a.handleSecondsTotal / handled));
  },
  active_item_talk_duration: (c, a) => (a.item === null ? "" : String(c.clock - a.item.startedAt - holdSoFar(a.item, c.clock))),
  active_item_hold_duration: (c, a) => (a.item === null ? "" : String(holdSoFar(a.item, c.clock))),
  active_item_media_type: (_c, a) => a.item?.media ?? "",
};

/** The value of an agent statistic by agent index; `dispositions` (indexes) only matters for calls_dispositions_per_day. */
export function agentColumn(center: ContactCenter, stat: string, dispositions: readonly number[] | null): (index: number) => string {
  const get = AGENT_VALUES[stat];
  if (get === undefined) return () => "";
  return (index) => {
    const agent = center.agents[index];
    const profile = center.roster.agents[index];
    return agent === undefined || profile === undefined ? "" : get(center, agent, profile, dispositions);
  };
}

function holdSoFar(item: { holdFrom: number; holdSeconds: number }, now: number): number {
  return Math.min(item.holdSeconds, Math.max(0, now - item.holdFrom));
}

function dispositionCount(agent: AgentLive, dispositions: readonly number[] | null): number {
  if (dispositions === null) return agent.dispositions.reduce((a, b) => a + b, 0);
  let sum = 0;
  for (const d of dispositions) sum += agent.dispositions[d] ?? 0;
  return sum;
}
