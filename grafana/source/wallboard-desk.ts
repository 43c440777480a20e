// The desk dashboard: what a supervisor reads at a desk: day totals, the services table and
// trends, a team view (team variable, agents by team and state), the agents table, one agent's
// personal view (agent variable) and the latest internal chat messages.
import { dashboard } from "./dashboard.js";
import {
  AGENT_STATES,
  COLOUR,
  type Column,
  type Json,
  NO_VALUE,
  UNIT,
  emptyTextMappings,
  reasonMappings,
  rising,
  serviceLevelThresholds,
  stat,
  stateMappings,
  table,
  timeseries,
} from "./panels.js";
import { AGENTS, APP, LOGGED_IN, SERVICES, agentReasons, agentsIn, perAgent, perService, ratio, total, withReason } from "./queries.js";
import { SERVICE_LEVEL_TARGET, THRESHOLDS } from "./thresholds.js";
import { agentGridVariable, appVariable, datasourceVariable, queryVariable, serviceGridVariable, tenantVariable } from "./variables.js";

const percent = (ratio: number): string => `${(ratio * 100).toFixed(0)} %`;
const SERVICE_FILTER = `, service_name=~"$service"`;
const TEAM_FILTER = `, team_name=~"$team"`;
/** The agents of the selected teams, one series per agent. */
const TEAM_AGENTS = `max by (agent) (brightpattern_agent_info{${AGENTS}${TEAM_FILTER}})`;
const inTeams = (expr: string): string => `${expr} and on (agent) ${TEAM_AGENTS}`;

function dayTotals(): Json[] {
  const tile = (x: number, title: string, description: string, expr: string, unit: (typeof UNIT)[keyof typeof UNIT], thresholds?: Json): Json =>
    stat({ title, description, gridPos: { x, y: 0, w: 4, h: 4 }, queries: [{ expr, legend: title, instant: true }], unit, noValue: NO_VALUE.noExporter, ...(thresholds ? { thresholds } : {}), mappings: reasonMappings() });
  return [
    tile(0, "Received today", "Inbound calls received today, all services (brightpattern_in_calls_received_per_day).", withReason(total("in_calls_received_per_day")), UNIT.count),
    tile(4, "Abandoned in queue today", "Inbound calls abandoned in queue today, all services; short abandons not included (brightpattern_in_calls_abandoned_in_queue_per_day).", withReason(total("in_calls_abandoned_in_queue_per_day")), UNIT.count),
    tile(
      8,
      "Abandoned in queue",
      "Share of today's inbound calls abandoned in queue (short abandons not included): abandoned in queue / received.",
      withReason(ratio(total("in_calls_abandoned_in_queue_per_day"), total("in_calls_received_per_day")), `brightpattern_in_calls_received_per_day{${APP}}`),
      UNIT.percent,
      rising(THRESHOLDS.abandonRate),
    ),
    tile(12, `Service level · target ${percent(SERVICE_LEVEL_TARGET)}`, "Today's service level, all services (brightpattern_service_level_ratio).", withReason(total("service_level_ratio")), UNIT.percent, serviceLevelThresholds()),
    tile(16, "Speed of answer", "Today's average speed of answer, hh:mm:ss (brightpattern_in_average_speed_of_answer_seconds).", withReason(total("in_average_speed_of_answer_seconds")), UNIT.duration, rising(THRESHOLDS.speedOfAnswer)),
    tile(20, "Agents logged in", "Agents logged in now, all agents of the app (brightpattern_agents_logged_in); the team view counts the agent grid only.", withReason(total("agents_logged_in")), UNIT.count),
  ];
}

function servicesTable(): Json {
  const columns: Column[] = [
    { field: "service_name", title: "Service" },
    { field: "Value #A", title: "Waiting", thresholds: rising(THRESHOLDS.callsWaiting), colored: true },
    { field: "Value #B", title: "Longest wait", unit: UNIT.duration, thresholds: rising(THRESHOLDS.longestWait), colored: true },
    { field: "Value #C", title: "Service level", unit: UNIT.percent, thresholds: serviceLevelThresholds(), colored: true },
    { field: "Value #D", title: "Logged in" },
    { field: "Value #E", title: "Busy" },
    { field: "Value #F", title: "Received today" },
    { field: "Value #G", title: "Abandoned today (incl. short)" },
    { field: "Value #H", title: "Abandoned % (incl. short)", unit: UNIT.percent, thresholds: rising(THRESHOLDS.abandonRate), colored: true },
  ];
  const stat = (name: string): string => perService(name, SERVICE_FILTER);
  return table({
    title: "Services",
    description:
      "One row per service of the service grid (brightpattern_service_*). Abandoned counts include short abandons (the grid's SUM column calls_abandoned_per_day), unlike the day totals above; the abandoned share is of calls received (0 % before the first call).",
    gridPos: { x: 0, y: 4, w: 24, h: 8 },
    queries: [
      { expr: stat("in_calls_waiting") },
      { expr: stat("in_max_wait_time_seconds") },
      { expr: stat("service_level_ratio") },
      { expr: stat("agents_logged_in") },
      { expr: stat("agents_busy") },
      { expr: stat("in_calls_received_per_day") },
      { expr: stat("calls_abandoned_per_day") },
      { expr: `${stat("calls_abandoned_per_day")} / clamp_min(${stat("in_calls_received_per_day")}, 1)` },
    ],
    columns,
    noValue: NO_VALUE.statistic,
    sortBy: { column: "Waiting", desc: true },
  });
}

function trends(): Json[] {
  const row = (x: number): { x: number; y: number; w: number; h: number } => ({ x, y: 12, w: 8, h: 8 });
  const byService = (name: string): string => perService(name, SERVICE_FILTER);
  return [
    timeseries({
      title: "Calls waiting by service",
      description: `Inbound calls waiting per service (brightpattern_service_in_calls_waiting); dashed: the amber and red thresholds.`,
      gridPos: row(0),
      queries: [{ expr: byService("in_calls_waiting"), legend: "{{service_name}}" }],
      unit: UNIT.count,
      noValue: NO_VALUE.statistic,
      thresholds: rising(THRESHOLDS.callsWaiting),
      thresholdLines: true,
      min: 0,
    }),
    timeseries({
      title: `Service level by service · target ${percent(SERVICE_LEVEL_TARGET)}`,
      description: `Today's service level per service (brightpattern_service_service_level_ratio); the dashed line is the target.`,
      gridPos: row(8),
      queries: [{ expr: byService("service_level_ratio"), legend: "{{service_name}}" }],
      unit: UNIT.percent,
      noValue: NO_VALUE.statistic,
      thresholds: serviceLevelThresholds(),
      thresholdLines: true,
      min: 0,
      max: 1,
    }),
    timeseries({
      title: "Longest wait by service",
      description: "The longest current wait per service, hh:mm:ss (brightpattern_service_in_max_wait_time_seconds); dashed: the amber and red thresholds.",
      gridPos: row(16),
      queries: [{ expr: byService("in_max_wait_time_seconds"), legend: "{{service_name}}" }],
      unit: UNIT.duration,
      noValue: NO_VALUE.statistic,
      thresholds: rising(THRESHOLDS.longestWait),
      thresholdLines: true,
      min: 0,
    }),
  ];
}

function teamTable(): Json {
  const teamOf = `max by (agent, team_name) (brightpattern_agent_info{${AGENTS}${TEAM_FILTER}})`;
  const everyTeamZero = `count by (team_name) (${teamOf}) * 0`;
  return table({
    title: "Agents by team and state",
    description: "Agents of the agent grid (the teams the API user supervises), counted by team and ACD state; filtered by the Team variable.",
    gridPos: { x: 0, y: 20, w: 10, h: 8 },
    queries: AGENT_STATES.map(({ state }) => ({ expr: `count by (team_name) (${teamOf} and on (agent) (${agentsIn(`="${state}"`)})) or ${everyTeamZero}` })),
    columns: [
      { field: "team_name", title: "Team" },
      ...AGENT_STATES.map(({ text }, index) => ({ field: `Value #${"ABCDE".charAt(index)}`, title: text })),
    ],
    noValue: NO_VALUE.statistic,
  });
}

function chatTable(): Json {
  return table({
    title: "Latest chat messages",
    description: "The latest internal chat messages (brightpattern_chat_message_timestamp_seconds, sent time in ms for Grafana); urgent ones in red.",
    gridPos: { x: 10, y: 20, w: 14, h: 8 },
    queries: [{ expr: `max by (id, first_name, last_name, urgent, content) (brightpattern_chat_message_timestamp_seconds{${APP}}) * 1000` }],
    columns: [
      { field: "Value", title: "Sent", unit: UNIT.date, width: 170 },
      { field: "first_name", title: "From" },
      { field: "last_name", title: " " },
      { field: "content", title: "Message" },
      { field: "urgent", title: "Urgent", width: 90, mappings: [{ type: "value", options: { true: { text: "URGENT", color: "red", index: 0 }, false: { text: "-", color: "transparent", index: 1 } } }] },
    ],
    overrides: [
      { matcher: { id: "byName", options: "Urgent" }, properties: [{ id: "custom.cellOptions", value: { type: "color-background", applyToRow: true } }] },
      { matcher: { id: "byName", options: "Message" }, properties: [{ id: "custom.cellOptions", value: { type: "auto", wrapText: true } }] },
    ],
    noValue: "No chat messages (or chat_messages is not in the subscription)",
    sortBy: { column: "Sent", desc: true },
  });
}

function agentsTable(): Json {
  const value = (name: string): string => inTeams(`${perAgent(name)} and on (agent) (${LOGGED_IN})`);
  return table({
    title: "Agents",
    description:
      "One row per logged-in agent of the agent grid in the selected teams: ACD state (brightpattern_agent_state), not-ready reason, time in the state (amber and red from the time-in-state limits), today's handled calls and after-call work. Logged-out agents are counted in the team view.",
    gridPos: { x: 0, y: 28, w: 24, h: 11 },
    queries: [
      { expr: inTeams(`max by (agent, state) (brightpattern_agent_state{${AGENTS}, state!="logged_out"} == 1)`) },
      {
        expr: inTeams(
          `max by (agent, full_name, team_name, reason) (max by (agent, full_name, team_name) (brightpattern_agent_info{${AGENTS}}) * on (agent) group_left (reason) (${agentReasons()})) and on (agent) (${LOGGED_IN})`,
        ),
      },
      { expr: value("state_duration_seconds") },
      { expr: value("in_calls_handled_per_day") },
      { expr: value("out_calls_handled_per_day") },
      { expr: value("total_after_call_work_time_seconds") },
    ],
    columns: [
      { field: "agent", title: "Login" },
      { field: "full_name", title: "Agent" },
      { field: "team_name", title: "Team", mappings: emptyTextMappings() },
      { field: "state", title: "State", mappings: stateMappings(), colored: true, width: 160 },
      { field: "reason", title: "Reason", mappings: emptyTextMappings() },
      { field: "Value #C", title: "Time in state", unit: UNIT.duration, thresholds: rising(THRESHOLDS.timeInState), colored: true },
      { field: "Value #D", title: "Inbound today" },
      { field: "Value #E", title: "Outbound today" },
      { field: "Value #F", title: "After-call work today", unit: UNIT.duration },
    ],
    overrides: [{ matcher: { id: "byName", options: "State" }, properties: [{ id: "color", value: { mode: "fixed", fixedColor: COLOUR.neutral } }] }],
    noValue: NO_VALUE.statistic,
    sortBy: { column: "Time in state", desc: true },
  });
}

/** One agent's own numbers (the seed's "personal real-time displays"), for the Agent variable. */
function personalView(): Json[] {
  const ONE = `, agent="$agent"`;
  const y = 39;
  const tile = (x: number, w: number, spec: Omit<Parameters<typeof stat>[0], "gridPos" | "noValue">): Json =>
    stat({ ...spec, gridPos: { x, y, w, h: 5 }, noValue: `No data for agent $agent: logged out of the grid, stale, or not in the subscription` });
  return [
    tile(0, 5, {
      title: "Agent",
      description: "The selected agent's name and team (brightpattern_agent_info).",
      queries: [{ expr: `max by (full_name, team_name) (brightpattern_agent_info{${AGENTS}${ONE}})`, instant: true, table: true }],
      unit: UNIT.text,
      fields: "/^full_name$/",
      textMode: "value",
    }),
    tile(5, 4, {
      title: "State",
      description: "The agent's ACD state now (brightpattern_agent_state); unknown states in grey.",
      queries: [{ expr: `max by (state) (brightpattern_agent_state{${AGENTS}${ONE}} == 1)`, instant: true, table: true }],
      unit: UNIT.text,
      fields: "/^state$/",
      mappings: stateMappings(),
      thresholds: { mode: "absolute", steps: [{ color: COLOUR.neutral, value: null }] },
      textMode: "value",
    }),
    tile(9, 3, {
      title: "Reason",
      description: "The agent's not-ready reason (brightpattern_agent_reason_info); a dash when none.",
      queries: [{ expr: `max by (reason) (${agentReasons(ONE)})`, instant: true, table: true }],
      unit: UNIT.text,
      fields: "/^reason$/",
      mappings: emptyTextMappings(),
      textMode: "value",
    }),
    tile(12, 4, {
      title: "Time in state",
      description: "How long the agent has been in the current state, hh:mm:ss (brightpattern_agent_state_duration_seconds).",
      queries: [{ expr: perAgent("state_duration_seconds", ONE), legend: "Time in state", instant: true }],
      unit: UNIT.duration,
      thresholds: rising(THRESHOLDS.timeInState),
    }),
    tile(16, 4, {
      title: "Calls handled today",
      description: "Inbound (brightpattern_agent_in_calls_handled_per_day) and outbound (brightpattern_agent_out_calls_handled_per_day) calls the agent handled today.",
      queries: [
        { expr: perAgent("in_calls_handled_per_day", ONE), legend: "Inbound", instant: true },
        { expr: perAgent("out_calls_handled_per_day", ONE), legend: "Outbound", instant: true },
      ],
      unit: UNIT.count,
      textMode: "value_and_name",
    }),
    tile(20, 4, {
      title: "After-call work today",
      description: "Time the agent spent in after-call work today, hh:mm:ss (brightpattern_agent_total_after_call_work_time_seconds).",
      queries: [{ expr: perAgent("total_after_call_work_time_seconds", ONE), legend: "After-call work", instant: true }],
      unit: UNIT.duration,
    }),
  ];
}

export function deskDashboard(): Json {
  return dashboard({
    uid: "brightpattern-desk",
    title: "Bright Pattern desk",
    description:
      "The supervisor's desk dashboard: day totals, the services table and trends, agents by team and state, the agents table, one agent's personal view and the latest chat messages. The TV wallboard shows the headline numbers big.",
    tags: ["brightpattern", "contact-center", "wallboard"],
    refresh: "10s",
    from: "now-3h",
    variables: [
      datasourceVariable(),
      tenantVariable(),
      appVariable(),
      serviceGridVariable(),
      agentGridVariable(),
      queryVariable({ name: "service", label: "Service", query: `label_values(brightpattern_service_in_calls_waiting{${SERVICES}}, service_name)`, multi: { allValue: ".*" } }),
      queryVariable({ name: "team", label: "Team", query: `label_values(brightpattern_agent_info{${AGENTS}}, team_name)`, multi: { allValue: ".*" } }),
      queryVariable({ name: "agent", label: "Agent (personal view)", query: `label_values(brightpattern_agent_info{${AGENTS}${TEAM_FILTER}}, agent)` }),
    ],
    links: [
      { title: "TV wallboard", uid: "brightpattern-wallboard", includeVars: true },
      { title: "Exporter health", uid: "brightpattern-exporter", includeVars: false },
    ],
    panels: () => [
      ...dayTotals(),
      servicesTable(),
      ...trends(),
      teamTable(),
      chatTable(),
      agentsTable(),
      ...personalView(),
    ],
  });
}
