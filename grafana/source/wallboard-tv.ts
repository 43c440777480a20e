// The TV wallboard: read from across the room on a 1080p screen in kiosk mode, so it fits 27 grid
// rows without scrolling, has no tables, and every number is a self-sizing tile.
import { dashboard } from "./dashboard.js";
import {
  AGENT_STATES,
  COLOUR,
  type Json,
  NO_VALUE,
  UNIT,
  colourOfQuery,
  gauge,
  reasonMappings,
  rising,
  serviceLevelThresholds,
  stat,
  timeseries,
} from "./panels.js";
import { AGENTS, APP, agentReasons, agentsIn, perService, ratio, total, withReason } from "./queries.js";
import { SERVICE_LEVEL_TARGET, THRESHOLDS } from "./thresholds.js";
import { agentGridVariable, appVariable, datasourceVariable, serviceGridVariable, tenantVariable } from "./variables.js";

/** Grid rows a 1080p screen shows in kiosk mode (30 px a row plus margins). */
export const TV_ROWS = 27;

const percent = (ratio: number): string => `${(ratio * 100).toFixed(0)} %`;
const ALL_AGENTS = "all agents of the app (Stats API total)";
const AGENT_GRID = "the agent grid: the teams the API user supervises";

function headline(): Json[] {
  const row = (x: number): { x: number; y: number; w: number; h: number } => ({ x, y: 0, w: 4, h: 7 });
  return [
    stat({
      title: "Calls waiting",
      description: `Inbound calls waiting in queue now, all services of the app (brightpattern_in_calls_waiting). Amber from ${THRESHOLDS.callsWaiting.warning}, red from ${THRESHOLDS.callsWaiting.critical} (the alert's threshold).`,
      gridPos: row(0),
      queries: [{ expr: withReason(total("in_calls_waiting")), legend: "Calls waiting" }],
      unit: UNIT.count,
      noValue: NO_VALUE.noExporter,
      thresholds: rising(THRESHOLDS.callsWaiting),
      mappings: reasonMappings(),
      sparkline: true,
    }),
    stat({
      title: "Longest wait",
      description: `How long the longest-waiting inbound call has waited, hh:mm:ss (brightpattern_in_max_wait_time_seconds). Amber from ${THRESHOLDS.longestWait.warning} s, red from ${THRESHOLDS.longestWait.critical} s.`,
      gridPos: row(4),
      queries: [{ expr: withReason(total("in_max_wait_time_seconds")), legend: "Longest wait" }],
      unit: UNIT.duration,
      noValue: NO_VALUE.noExporter,
      thresholds: rising(THRESHOLDS.longestWait),
      mappings: reasonMappings(),
      sparkline: true,
    }),
    gauge({
      title: `Service level · target ${percent(SERVICE_LEVEL_TARGET)}`,
      description: `Today's share of inbound calls answered within the service-level threshold, all services (brightpattern_service_level_ratio). Green when the target (${percent(SERVICE_LEVEL_TARGET)}, the marker on the dial) is met, red below it.`,
      gridPos: row(8),
      queries: [{ expr: withReason(total("service_level_ratio")), legend: "Service level" }],
      unit: UNIT.percent,
      noValue: NO_VALUE.noExporter,
      thresholds: serviceLevelThresholds(),
      mappings: reasonMappings(),
      min: 0,
      max: 1,
    }),
    stat({
      title: "Abandoned in queue",
      description: `Share of today's inbound calls abandoned in queue: brightpattern_in_calls_abandoned_in_queue_per_day / brightpattern_in_calls_received_per_day (short abandons not included; the desk's services table counts them). Amber from ${percent(THRESHOLDS.abandonRate.warning)}, red from ${percent(THRESHOLDS.abandonRate.critical)}; 0 % before the first call.`,
      gridPos: row(12),
      queries: [
        {
          expr: withReason(ratio(total("in_calls_abandoned_in_queue_per_day"), total("in_calls_received_per_day")), `brightpattern_in_calls_received_per_day{${APP}}`),
          legend: "Abandoned in queue",
        },
      ],
      unit: UNIT.percent,
      noValue: NO_VALUE.noExporter,
      thresholds: rising(THRESHOLDS.abandonRate),
      mappings: reasonMappings(),
      sparkline: true,
    }),
    stat({
      title: "Agents ready",
      description: `Agents ready to take a call now, ${ALL_AGENTS}: brightpattern_agents_ready. The Ready tile below counts ${AGENT_GRID}, so it can be lower.`,
      gridPos: row(16),
      queries: [{ expr: withReason(total("agents_ready")), legend: "Agents ready" }],
      unit: UNIT.count,
      noValue: NO_VALUE.noExporter,
      thresholds: { mode: "absolute", steps: [{ color: COLOUR.bad, value: null }, { color: COLOUR.good, value: 1 }] },
      mappings: reasonMappings(),
      sparkline: true,
    }),
    stat({
      title: "Speed of answer",
      description: `Today's average speed of answer, hh:mm:ss (brightpattern_in_average_speed_of_answer_seconds). Amber from ${THRESHOLDS.speedOfAnswer.warning} s, red from ${THRESHOLDS.speedOfAnswer.critical} s.`,
      gridPos: row(20),
      queries: [{ expr: withReason(total("in_average_speed_of_answer_seconds")), legend: "Speed of answer" }],
      unit: UNIT.duration,
      noValue: NO_VALUE.noExporter,
      thresholds: rising(THRESHOLDS.speedOfAnswer),
      mappings: reasonMappings(),
      sparkline: true,
    }),
  ];
}

function perServiceTiles(): Json[] {
  const row = (x: number): { x: number; y: number; w: number; h: number } => ({ x, y: 7, w: 8, h: 7 });
  return [
    stat({
      title: "Waiting by service",
      description: "Inbound calls waiting now, one tile per service of the service grid (brightpattern_service_in_calls_waiting).",
      gridPos: row(0),
      queries: [{ expr: perService("in_calls_waiting"), legend: "{{service_name}}", instant: true }],
      unit: UNIT.count,
      noValue: NO_VALUE.statistic,
      thresholds: rising(THRESHOLDS.callsWaiting),
    }),
    stat({
      title: "Longest wait by service",
      description: "The longest current wait per service, hh:mm:ss (brightpattern_service_in_max_wait_time_seconds).",
      gridPos: row(8),
      queries: [{ expr: perService("in_max_wait_time_seconds"), legend: "{{service_name}}", instant: true }],
      unit: UNIT.duration,
      noValue: NO_VALUE.statistic,
      thresholds: rising(THRESHOLDS.longestWait),
    }),
    stat({
      title: `Service level by service · target ${percent(SERVICE_LEVEL_TARGET)}`,
      description: `Today's service level per service (brightpattern_service_service_level_ratio); green at or above the target ${percent(SERVICE_LEVEL_TARGET)}.`,
      gridPos: row(16),
      queries: [{ expr: perService("service_level_ratio"), legend: "{{service_name}}", instant: true }],
      unit: UNIT.percent,
      noValue: NO_VALUE.statistic,
      thresholds: serviceLevelThresholds(),
    }),
  ];
}

/** One tile per ACD state in a fixed order, then the states the exporter saw that have no colour (neutral). */
function agentStateTiles(gridPos: { x: number; y: number; w: number; h: number }): Json {
  const known = AGENT_STATES.map(({ state }) => state).join("|");
  const states = [...AGENT_STATES.map(({ state, text, color }) => ({ matcher: `="${state}"`, text, color })), { matcher: `!~"${known}"`, text: "Other", color: COLOUR.neutral }];
  return stat({
    title: "Agents by state · my teams",
    description: `Agents of ${AGENT_GRID}, counted by ACD state (brightpattern_agent_state), always in this order. "Other" counts states without a colour of their own (e.g. supervising). The Agents ready tile counts ${ALL_AGENTS}.`,
    gridPos,
    queries: states.map(({ matcher, text }) => ({
      expr: withReason(`count(${agentsIn(matcher)})`, `brightpattern_agent_state{${AGENTS}}`),
      legend: text,
      instant: true,
    })),
    unit: UNIT.count,
    noValue: NO_VALUE.noExporter,
    mappings: reasonMappings(),
    overrides: states.map(({ color }, index) => colourOfQuery(index, color)),
    textMode: "value_and_name",
  });
}

function notReadyReasons(gridPos: { x: number; y: number; w: number; h: number }): Json {
  return stat({
    title: "Not ready · by reason",
    description: `Agents of ${AGENT_GRID} in Not ready, by their not-ready reason (brightpattern_agent_reason_info); "(none given)" when the agent gave none, "Nobody" when no agent is not ready.`,
    gridPos,
    queries: [
      {
        expr: withReason(
          [
            `count by (reason) (label_replace(${agentReasons()}, "reason", "(none given)", "reason", "") and on (agent) (${agentsIn(`="not_ready"`)}))`,
            `label_replace(vector(0) and on () count(brightpattern_agent_state{${AGENTS}}) > 0, "reason", "Nobody", "", "")`,
          ].join(" or on () "),
        ),
        legend: "{{reason}}",
        instant: true,
      },
    ],
    unit: UNIT.count,
    noValue: NO_VALUE.noExporter,
    thresholds: { mode: "absolute", steps: [{ color: COLOUR.warning, value: null }] },
    mappings: reasonMappings(),
    textMode: "value_and_name",
  });
}

/** Data age: green while fresh, red when stale; "Waiting for the first answer" before the first poll. */
export function dataFreshness(gridPos: { x: number; y: number; w: number; h: number }, selector = ""): Json {
  const lastSuccess = `max(brightpattern_last_success_timestamp_seconds${selector})`;
  return stat({
    title: "Data freshness",
    description: `Time since the exporter's last successful poll of the Stats API, hh:mm:ss (brightpattern_last_success_timestamp_seconds). Amber from ${THRESHOLDS.dataAge.warning} s, red from ${THRESHOLDS.dataAge.critical} s; after the exporter's poll.stale_after the statistics disappear and tiles say "Stale". "Waiting for the first answer" until the first poll succeeds; "${NO_VALUE.noExporter}" when Prometheus has nothing from the exporter.`,
    gridPos,
    queries: [
      {
        expr: `time() - ${lastSuccess} and on () ${lastSuccess} > 0 or on () (vector(-1) and on () ${lastSuccess} == 0)`,
        legend: "Data age",
      },
    ],
    unit: UNIT.duration,
    noValue: NO_VALUE.noExporter,
    thresholds: rising(THRESHOLDS.dataAge),
    mappings: [{ type: "value", options: { "-1": { text: "Waiting for the first answer", color: COLOUR.neutral, index: 0 } } }],
    sparkline: true,
  });
}

function bottomRow(): Json[] {
  return [
    timeseries({
      title: "Calls waiting · last hour",
      description: `Inbound calls waiting, all services (brightpattern_in_calls_waiting); the dashed lines are the amber (${THRESHOLDS.callsWaiting.warning}) and red (${THRESHOLDS.callsWaiting.critical}) thresholds.`,
      gridPos: { x: 0, y: 21, w: 12, h: 6 },
      queries: [{ expr: total("in_calls_waiting"), legend: "Calls waiting" }],
      unit: UNIT.count,
      noValue: NO_VALUE.statistic,
      thresholds: rising(THRESHOLDS.callsWaiting),
      thresholdLines: true,
      min: 0,
    }),
    stat({
      title: "Calls today",
      description: "Today's inbound calls received (brightpattern_in_calls_received_per_day) and abandoned in queue (brightpattern_in_calls_abandoned_in_queue_per_day, short abandons not included), all services.",
      gridPos: { x: 12, y: 21, w: 6, h: 6 },
      queries: [
        { expr: withReason(total("in_calls_received_per_day")), legend: "Received", instant: true },
        { expr: withReason(total("in_calls_abandoned_in_queue_per_day")), legend: "Abandoned", instant: true },
      ],
      unit: UNIT.count,
      noValue: NO_VALUE.noExporter,
      mappings: reasonMappings(),
      textMode: "value_and_name",
    }),
    dataFreshness({ x: 18, y: 21, w: 6, h: 6 }),
  ];
}

export function tvWallboard(): Json {
  return dashboard({
    uid: "brightpattern-wallboard",
    title: "Bright Pattern wallboard",
    description:
      "The TV wallboard (1080p, kiosk mode): calls waiting, longest wait, service level against its target, abandon rate, ready agents, speed of answer; per-service tiles; agents by state and not-ready reasons; data freshness. Tables, trends and team and agent views are on the desk dashboard.",
    tags: ["brightpattern", "contact-center", "wallboard"],
    refresh: "5s",
    from: "now-1h",
    variables: [datasourceVariable(), tenantVariable(), appVariable(), serviceGridVariable(), agentGridVariable()],
    links: [
      { title: "Desk", uid: "brightpattern-desk", includeVars: true },
      { title: "Exporter health", uid: "brightpattern-exporter", includeVars: false },
    ],
    panels: () => [
      ...headline(),
      ...perServiceTiles(),
      agentStateTiles({ x: 0, y: 14, w: 14, h: 7 }),
      notReadyReasons({ x: 14, y: 14, w: 10, h: 7 }),
      ...bottomRow(),
    ],
  });
}

