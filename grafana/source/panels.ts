// Grafana panel JSON, built the same way for every dashboard: units, decimals, "No value" texts,
// threshold colours and the agent-state colours are decided here once.
import { type RisingLimit, SERVICE_LEVEL_TARGET } from "./thresholds.js";

export const DATASOURCE = { type: "prometheus", uid: "${datasource}" } as const;

export type Json = Record<string, unknown>;
export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Units as Grafana names them. Durations read hh:mm:ss; percents carry one decimal. */
export const UNIT = {
  count: { unit: "none", decimals: 0 },
  duration: { unit: "dthms" },
  percent: { unit: "percentunit", decimals: 1 },
  date: { unit: "dateTimeAsIso" },
  text: { unit: "string" },
  bytes: { unit: "bytes", decimals: 1 },
  seconds: { unit: "s", decimals: 3 },
  perSecond: { unit: "reqps", decimals: 2 },
  ratio: { unit: "percentunit", decimals: 1 },
} as const;
export type Unit = (typeof UNIT)[keyof typeof UNIT];

/** Colours. Unknown states are neutral grey, never the green of Ready. */
export const COLOUR = { good: "green", warning: "orange", bad: "red", neutral: "#8e8e8e", dim: "#5c5c5c", info: "blue" } as const;

/** ACD states in the order every panel shows them, with their text and colour. */
export const AGENT_STATES = [
  { state: "ready", text: "Ready", color: "green" },
  { state: "busy", text: "Busy", color: "blue" },
  { state: "after_call_work", text: "After-call work", color: "purple" },
  { state: "not_ready", text: "Not ready", color: "orange" },
  { state: "logged_out", text: "Logged out", color: COLOUR.dim },
] as const;

export const stateMappings = (): Json[] => [
  {
    type: "value",
    options: Object.fromEntries(AGENT_STATES.map(({ state, text, color }, index) => [state, { text, color, index }])),
  },
];

/** An empty text (no not-ready reason) shows a dash, not a blank; a stat reduces "" to null first. */
export const emptyTextMapping = (text = "—"): Json => ({ type: "special", options: { match: "null+nan", result: { text, color: COLOUR.neutral, index: 98 } } });
const emptyString = (text = "—"): Json => ({ type: "special", options: { match: "empty", result: { text, color: COLOUR.neutral, index: 99 } } });
export const emptyTextMappings = (): Json[] => [emptyTextMapping(), emptyString()];

/**
 * Why a tile has no number, when its query says so: the PromQL of queries.ts answers these values
 * instead of nothing, so the tile names the cause rather than a bare "No data".
 */
export const REASON = {
  waiting: { value: -1, text: "Waiting for the first answer" },
  stale: { value: -2, text: "Stale: no fresh data" },
  notConfigured: { value: -3, text: "Not in the subscription" },
} as const;

export const reasonMappings = (): Json[] => [
  {
    type: "value",
    options: Object.fromEntries(Object.values(REASON).map(({ value, text }, index) => [String(value), { text, color: COLOUR.neutral, index }])),
  },
];

/** What a panel says when Prometheus answers nothing at all (the reasons above need the exporter's own series). */
export const NO_VALUE = {
  /** Statistic panels: nothing at all, not even the exporter's self-metrics. */
  noExporter: "No data: Prometheus has nothing from the exporter (not scraped, or wrong data source)",
  /** Statistic tables and charts: the three causes, to be told apart on the Data freshness tile. */
  statistic: "No data: stale, no answer yet, or not in the subscription (see Data freshness)",
} as const;

export const rising = (limit: RisingLimit): Json => ({
  mode: "absolute",
  steps: [
    { color: COLOUR.good, value: null },
    { color: COLOUR.warning, value: limit.warning },
    { color: COLOUR.bad, value: limit.critical },
  ],
});

export const serviceLevelThresholds = (): Json => ({
  mode: "absolute",
  steps: [
    { color: COLOUR.bad, value: null },
    { color: COLOUR.good, value: SERVICE_LEVEL_TARGET },
  ],
});

export const neutralThresholds = (): Json => ({ mode: "absolute", steps: [{ color: COLOUR.neutral, value: null }] });

export interface Query {
  expr: string;
  /** Grafana's legend: `{{label}}` or a fixed name. */
  legend?: string;
  /** Instant queries for tables and current values; range queries for charts and sparklines. */
  instant?: boolean;
  table?: boolean;
}

const REF_IDS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function targets(queries: readonly Query[]): Json[] {
  return queries.map((query, index) => ({
    datasource: DATASOURCE,
    expr: query.expr,
    refId: REF_IDS.charAt(index),
    ...(query.legend === undefined ? {} : { legendFormat: query.legend }),
    instant: query.instant === true,
    range: query.instant !== true,
    ...(query.table ? { format: "table" } : {}),
  }));
}

export interface PanelSpec {
  title: string;
  description: string;
  gridPos: GridPos;
  queries: readonly Query[];
  unit: Unit;
  noValue: string;
  thresholds?: Json;
  mappings?: Json[];
  overrides?: Json[];
}

let nextId = 1;
/** Panel ids restart per dashboard (unique within one). */
export function resetPanelIds(): void {
  nextId = 1;
}

function base(type: string, spec: PanelSpec, custom?: Json): Json {
  return {
    id: nextId++,
    type,
    title: spec.title,
    description: spec.description,
    datasource: DATASOURCE,
    gridPos: spec.gridPos,
    targets: targets(spec.queries),
    fieldConfig: {
      defaults: {
        ...spec.unit,
        noValue: spec.noValue,
        color: { mode: "thresholds" },
        thresholds: spec.thresholds ?? neutralThresholds(),
        mappings: spec.mappings ?? [],
        ...(custom ? { custom } : {}),
      },
      overrides: spec.overrides ?? [],
    },
  };
}

const reduceOptions = (fields = ""): Json => ({ calcs: ["lastNotNull"], fields, values: false });

/**
 * A big self-sizing number (no fixed text size: Grafana fits it to the tile on a 1080p or a 4K
 * screen), coloured by its thresholds; a sparkline when its queries are range queries.
 */
export function stat(spec: PanelSpec & { sparkline?: boolean; fields?: string; textMode?: string }): Json {
  return {
    ...base("stat", spec),
    options: {
      reduceOptions: reduceOptions(spec.fields),
      orientation: "auto",
      textMode: spec.textMode ?? "auto",
      colorMode: "background",
      graphMode: spec.sparkline ? "area" : "none",
      justifyMode: "center",
      wideLayout: true,
      showPercentChange: false,
      percentChangeColorMode: "standard",
    },
  };
}

/** A gauge whose threshold markers and labels draw the target on the dial. */
export function gauge(spec: PanelSpec & { min: number; max: number }): Json {
  const panel = base("gauge", spec);
  const fieldConfig = panel.fieldConfig as { defaults: Json };
  fieldConfig.defaults.min = spec.min;
  fieldConfig.defaults.max = spec.max;
  return {
    ...panel,
    options: {
      reduceOptions: reduceOptions(),
      orientation: "auto",
      showThresholdMarkers: true,
      showThresholdLabels: true,
      sizing: "auto",
      minVizHeight: 75,
      minVizWidth: 75,
      shape: "gauge",
      barShape: "flat",
      barWidthFactor: 0.5,
      segmentCount: 1,
      segmentSpacing: 0.3,
      effects: { barGlow: false, centerGlow: false, gradient: false },
      sparkline: false,
    },
  };
}

export interface Column {
  /** The frame field (a label, or `Value #X`) this column shows. */
  field: string;
  title: string;
  unit?: Unit;
  thresholds?: Json;
  mappings?: Json[];
  /** Colour the cell's background by its thresholds or value mapping. */
  colored?: boolean;
  width?: number;
}

/**
 * A table of instant queries in table format, merged into one row per key. Every query is
 * aggregated to the row's labels (`max by (service_name) (…)`), so no frame carries `__name__`,
 * `job` or `instance` and Grafana's merge can join the rows; `organize` keeps the listed columns.
 */
export function table(spec: Omit<PanelSpec, "unit"> & { columns: readonly Column[]; sortBy?: { column: string; desc: boolean } }): Json {
  const columns = spec.columns;
  const overrides = columns
    .map((column) => {
      const properties: Json[] = [];
      if (column.unit) properties.push(...Object.entries(column.unit).map(([id, value]) => ({ id, value })));
      if (column.thresholds) properties.push({ id: "thresholds", value: column.thresholds });
      if (column.mappings) properties.push({ id: "mappings", value: column.mappings });
      if (column.colored) properties.push({ id: "custom.cellOptions", value: { type: "color-background" } });
      if (column.width) properties.push({ id: "custom.width", value: column.width });
      return properties.length > 0 ? { matcher: { id: "byName", options: column.title }, properties } : undefined;
    })
    .filter((override): override is { matcher: { id: string; options: string }; properties: Json[] } => override !== undefined);
  const panel = base(
    "table",
    { ...spec, unit: UNIT.count, queries: spec.queries.map((query) => ({ ...query, instant: true, table: true })), overrides: [...overrides, ...(spec.overrides ?? [])] },
    { align: "auto", cellOptions: { type: "auto" }, inspect: false, filterable: false },
  );
  return {
    ...panel,
    transformations: [
      { id: "merge", options: {} },
      {
        id: "organize",
        options: {
          // Everything not listed is dropped: Time, the hidden `Value #X` of label-only queries.
          excludeByName: {},
          includeByName: Object.fromEntries(columns.map((column) => [column.field, true])),
          indexByName: Object.fromEntries(columns.map((column, index) => [column.field, index])),
          renameByName: Object.fromEntries(columns.map((column) => [column.field, column.title])),
        },
      },
    ],
    options: {
      showHeader: true,
      frameIndex: 0,
      cellHeight: "md",
      ...(spec.sortBy ? { sortBy: [{ displayName: spec.sortBy.column, desc: spec.sortBy.desc }] } : {}),
    },
  };
}

/** A chart; `thresholdLines` draws the thresholds (targets and limits) as dashed lines. */
export function timeseries(spec: PanelSpec & { thresholdLines?: boolean; min?: number; max?: number }): Json {
  const panel = base("timeseries", spec, {
    drawStyle: "line",
    lineWidth: 2,
    fillOpacity: 10,
    showPoints: "never",
    spanNulls: false,
    axisPlacement: "auto",
    lineInterpolation: "linear",
    stacking: { mode: "none", group: "A" },
    thresholdsStyle: { mode: spec.thresholdLines ? "dashed" : "off" },
  });
  const defaults = (panel.fieldConfig as { defaults: Json }).defaults;
  defaults.color = { mode: "palette-classic" };
  if (spec.min !== undefined) defaults.min = spec.min;
  if (spec.max !== undefined) defaults.max = spec.max;
  return {
    ...panel,
    options: {
      legend: { showLegend: true, displayMode: "list", placement: "bottom", calcs: [] },
      tooltip: { mode: "multi", sort: "desc" },
    },
  };
}

/** A fixed colour for the field of one query (tiles of the agent-state summary). */
export const colourOfQuery = (refIndex: number, color: string): Json => ({
  matcher: { id: "byFrameRefID", options: REF_IDS.charAt(refIndex) },
  properties: [{ id: "color", value: { mode: "fixed", fixedColor: color } }],
});
