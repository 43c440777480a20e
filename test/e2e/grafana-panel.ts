// A dashboard panel as Grafana draws it, computed with Grafana's own frontend code (@grafana/data):
// the panel's Prometheus answers become data frames shaped the way Grafana's Prometheus datasource
// shapes them, the panel's transformations run through Grafana's transformer registry, and every
// value is formatted by Grafana's display processor with the panel's field config (unit, decimals,
// value mappings, thresholds, overrides, "No value"). What comes out is the text and colour a
// supervisor reads on the screen.
import { createRequire } from "node:module";
import type * as GrafanaData from "@grafana/data";
import { type Dashboard, type Panel, type Target, substituteVariables } from "./dashboard-queries.js";

// CommonJS on purpose: the ESM build fails on moment-timezone's named exports under Node.
const require = createRequire(import.meta.url);
const grafana = require("@grafana/data") as typeof GrafanaData;
// Set after the require: set before it, other libraries take the process for a browser.
Object.assign(globalThis, { window: (globalThis as { window?: object }).window ?? {}, navigator: { language: "en-US", languages: ["en-US"] } });

const {
  FieldType,
  applyFieldOverrides,
  createTheme,
  getFieldDisplayName,
  getFieldDisplayValues,
  standardTransformers,
  standardTransformersRegistry,
  transformDataFrame,
} = grafana;
type DataFrame = GrafanaData.DataFrame;
type Field = GrafanaData.Field;
type FieldConfigSource = GrafanaData.FieldConfigSource;
type DataTransformerConfig = GrafanaData.DataTransformerConfig;

// Outside Grafana the registry starts empty; one item per id (two entries share `joinByField`).
standardTransformersRegistry.setInit(() => {
  const byId = new Map<string, GrafanaData.DataTransformerInfo>();
  for (const transformer of Object.values(standardTransformers) as GrafanaData.DataTransformerInfo[]) byId.set(transformer.id, transformer);
  return [...byId.values()].map((transformer) => ({
    id: transformer.id,
    name: transformer.name,
    description: transformer.description,
    transformation: () => transformer,
  })) as unknown as GrafanaData.TransformerRegistryItem[];
});

const theme = createTheme({ colors: { mode: "dark" } });

/** Grafana's field options by id; which ones apply to which field type follows Grafana's standard options. */
function fieldConfigRegistry(fieldConfig: FieldConfigSource): GrafanaData.FieldConfigOptionsRegistry {
  const ids = new Set<string>();
  for (const key of Object.keys(fieldConfig.defaults ?? {})) if (key !== "custom") ids.add(key);
  for (const key of Object.keys(fieldConfig.defaults?.custom ?? {})) ids.add(`custom.${key}`);
  for (const override of fieldConfig.overrides ?? []) for (const property of override.properties) ids.add(property.id);
  const numberOnly = new Set(["decimals", "min", "max"]);
  const items = [...ids].map((id) => {
    const isCustom = id.startsWith("custom.");
    return {
      id,
      path: isCustom ? id.slice("custom.".length) : id,
      name: id,
      isCustom,
      override: () => null,
      editor: () => null,
      process: (value: unknown) => (id === "thresholds" ? withBaseStep(value) : value),
      shouldApply: (field: Field) => !numberOnly.has(id) || field.type === FieldType.number,
    };
  });
  const registry = new grafana.FieldConfigOptionsRegistry(() => items as never);
  return registry;
}

/** JSON has no -Infinity: Grafana reads a first threshold step of null as the base. */
function withBaseStep(value: unknown): unknown {
  const thresholds = structuredClone(value) as { steps?: { value: number | null }[] } | undefined;
  const first = thresholds?.steps?.[0];
  if (first && first.value === null) first.value = -Infinity;
  return thresholds;
}

export interface PrometheusApi {
  /** An instant query at `time` (Unix seconds). */
  instant(promql: string, time: number): Promise<PromSeries[]>;
  /** A range query from `start` to `end` every `step` seconds. */
  range(promql: string, start: number, end: number, step: number): Promise<PromSeries[]>;
}

export interface PromSeries {
  metric: Record<string, string>;
  /** [Unix seconds, value as text] pairs. */
  values: [number, string][];
}

export interface RenderContext {
  prometheus: PrometheusApi;
  /** Evaluation time of instant queries and end of range queries (Unix seconds). */
  time: number;
  /** Template variable values (Grafana's substitution of the dashboard's current selection). */
  variables: Readonly<Record<string, string>>;
}

interface TargetAnswer {
  target: Target;
  promql: string;
  series: PromSeries[];
}

const isTable = (target: Target): boolean => (target as { format?: string }).format === "table";
const isInstant = (panel: Panel, target: Target): boolean => (target as { instant?: boolean }).instant === true || (panel.type === "table" && isTable(target));

async function queryPanel(panel: Panel, context: RenderContext): Promise<TargetAnswer[]> {
  const answers: TargetAnswer[] = [];
  for (const target of (panel.targets ?? []).filter((candidate) => !candidate.hide)) {
    const promql = substituteVariables(target.expr, context.variables);
    const series = isInstant(panel, target)
      ? await context.prometheus.instant(promql, context.time)
      : await context.prometheus.range(promql, context.time - 60, context.time, 5);
    answers.push({ target, promql, series });
  }
  return answers;
}

const parseSample = (value: string): number => (value === "+Inf" ? Infinity : value === "-Inf" ? -Infinity : Number(value));

/** `{{label}}` of a legend format, as Grafana's Prometheus datasource fills it in. */
function legend(target: Target, metric: Record<string, string>, promql: string): string {
  const format = (target as { legendFormat?: string }).legendFormat;
  if (format && format !== "__auto") return format.replace(/\{\{\s*(.+?)\s*\}\}/g, (_, label: string) => metric[label] ?? "");
  const { __name__: name = "", ...labels } = metric;
  if (format === "__auto" && Object.keys(labels).length > 0) return "";
  const text = `${name}{${Object.entries(labels).map(([key, value]) => `${key}="${value}"`).join(", ")}}`;
  return text === "{}" ? promql : text;
}

/** One frame per series, as the datasource's backend answers (time and value fields, labels on the value). */
function seriesFrames(answer: TargetAnswer): DataFrame[] {
  return answer.series.map((series) => {
    const name = legend(answer.target, series.metric, answer.promql);
    return {
      refId: answer.target.refId,
      name: name || undefined,
      length: series.values.length,
      fields: [
        { name: "Time", type: FieldType.time, config: {}, values: series.values.map(([time]) => time * 1000) },
        { name: "Value", type: FieldType.number, config: name ? { displayNameFromDS: name } : {}, labels: { ...series.metric }, values: series.values.map(([, value]) => parseSample(value)) },
      ],
    };
  });
}

/**
 * The table-format frames of Grafana's Prometheus datasource (transformDFToTable): one frame per
 * query with `Time`, one string field per label in sorted order (`__name__` included), and the value
 * as `Value #<refId>` (just `Value` when the panel has one table query).
 */
function tableFrames(answers: TargetAnswer[]): DataFrame[] {
  const valueName = (refId: string): string => (answers.length > 1 ? `Value #${refId}` : "Value");
  return answers.map(({ target, series }) => {
    const labels = [...new Set(series.flatMap((one) => Object.keys(one.metric).sort()))];
    return {
      refId: target.refId,
      length: series.length,
      meta: { preferredVisualisationType: "rawPrometheus" },
      fields: [
        { name: "Time", type: FieldType.time, config: {}, values: series.map((one) => (one.values[0]?.[0] ?? 0) * 1000) },
        ...labels.map((label) => ({ name: label, type: FieldType.string, config: { filterable: true }, values: series.map((one) => one.metric[label] ?? "") })),
        { name: valueName(target.refId), type: FieldType.number, config: {}, values: series.map((one) => parseSample(one.values[0]?.[1] ?? "NaN")) },
      ],
    } as DataFrame;
  });
}

/** What a panel's queries give Grafana before its transformations. */
export function panelFrames(answers: TargetAnswer[]): DataFrame[] {
  const tables = answers.filter(({ target }) => isTable(target));
  return [...tableFrames(tables), ...answers.filter(({ target }) => !isTable(target)).flatMap(seriesFrames)];
}

export async function transform(panel: Panel, frames: DataFrame[]): Promise<DataFrame[]> {
  const configs = (panel.transformations ?? []) as DataTransformerConfig[];
  if (configs.length === 0) return frames;
  const result = transformDataFrame(configs, frames, { interpolate: (value: string) => value });
  return new Promise((resolve, reject) => {
    const subscription = result.subscribe({ next: (value) => { resolve(value); queueMicrotask(() => subscription.unsubscribe()); }, error: reject });
  });
}

/** The frames with the panel's field config applied: every field has Grafana's display processor. */
export function withFieldConfig(panel: Panel, frames: DataFrame[]): DataFrame[] {
  const fieldConfig = (panel.fieldConfig ?? { defaults: {}, overrides: [] }) as FieldConfigSource;
  return applyFieldOverrides({
    data: frames,
    fieldConfig,
    fieldConfigRegistry: fieldConfigRegistry(fieldConfig),
    replaceVariables: (value: string) => value,
    theme,
    timeZone: "utc",
  });
}

/** A value as drawn: the text (prefix, value, suffix) and the colour Grafana picks for it. */
export interface Shown {
  text: string;
  color: string | undefined;
}

const shown = (display: GrafanaData.DisplayValue): Shown => ({
  text: `${display.prefix ?? ""}${display.text}${display.suffix ?? ""}`,
  color: display.color,
});

/** A table as drawn: the visible columns by display name, and each row's cells. */
export interface ShownTable {
  columns: string[];
  rows: Record<string, Shown>[];
}

/** A stat (or gauge) panel as drawn: one tile per value, with its title. */
export interface ShownTile extends Shown {
  title: string;
  /** The number behind the text (after reduction). */
  numeric: number;
}

/** A time series as drawn: its legend name and its last value's text. */
export interface ShownSeries {
  name: string;
  last: Shown;
  points: number;
}

export interface RenderedPanel {
  panel: Panel;
  /** The Prometheus answers, per query. */
  answers: TargetAnswer[];
  /** The frames after transformations and field config. */
  frames: DataFrame[];
  /** "No value" text Grafana would show when there is nothing to draw. */
  noValue: string | undefined;
  table?: ShownTable;
  tiles?: ShownTile[];
  series?: ShownSeries[];
}

const hidden = (field: Field): boolean => (field.config.custom as { hidden?: boolean } | undefined)?.hidden === true;

function shownTable(frames: DataFrame[]): ShownTable {
  const frame = frames[0];
  if (!frame) return { columns: [], rows: [] };
  const fields = frame.fields.filter((field) => !hidden(field));
  const names = fields.map((field) => getFieldDisplayName(field, frame, frames));
  const rows: Record<string, Shown>[] = [];
  for (let row = 0; row < frame.length; row += 1) {
    rows.push(Object.fromEntries(fields.map((field, index) => [names[index] ?? field.name, shownValue(field, field.values[row])])));
  }
  return { columns: names, rows };
}

function shownValue(field: Field, value: unknown): Shown {
  if (!field.display) return { text: String(value ?? ""), color: undefined };
  return shown(field.display(value));
}

function shownTiles(panel: Panel, frames: DataFrame[]): ShownTile[] {
  const reduceOptions = ((panel.options as { reduceOptions?: GrafanaData.ReduceDataOptions } | undefined)?.reduceOptions ?? { calcs: ["lastNotNull"] }) as GrafanaData.ReduceDataOptions;
  const values = getFieldDisplayValues({
    data: frames,
    reduceOptions,
    fieldConfig: (panel.fieldConfig ?? { defaults: {}, overrides: [] }) as FieldConfigSource,
    replaceVariables: (value: string) => value,
    theme,
    timeZone: "utc",
  });
  return values.map((value) => ({ ...shown(value.display), title: value.display.title ?? value.name, numeric: value.display.numeric }));
}

function shownSeries(frames: DataFrame[]): ShownSeries[] {
  return frames.flatMap((frame) =>
    frame.fields
      .filter((field) => field.type === FieldType.number && !hidden(field))
      .map((field) => ({
        name: getFieldDisplayName(field, frame, frames),
        last: shownValue(field, field.values[field.values.length - 1]),
        points: field.values.length,
      })),
  );
}

/** Queries Prometheus for one panel and draws it the way Grafana would. */
export async function renderPanel(panel: Panel, context: RenderContext): Promise<RenderedPanel> {
  const answers = await queryPanel(panel, context);
  const frames = withFieldConfig(panel, await transform(panel, panelFrames(answers)));
  const noValue = (panel.fieldConfig as { defaults?: { noValue?: string } } | undefined)?.defaults?.noValue;
  const rendered: RenderedPanel = { panel, answers, frames, noValue };
  if (panel.type === "table") rendered.table = shownTable(frames);
  else if (panel.type === "stat" || panel.type === "gauge" || panel.type === "bargauge") rendered.tiles = shownTiles(panel, frames);
  else if (panel.type === "timeseries") rendered.series = shownSeries(frames);
  return rendered;
}

/** How a panel's field shows one value, as Grafana formats it in that panel (e.g. 119 s, or a state). */
export function formatAs(panel: Panel, fieldName: string, value: number | string): Shown {
  const type = typeof value === "number" ? FieldType.number : FieldType.string;
  const frames = withFieldConfig(panel, [{ length: 1, fields: [{ name: fieldName, type, config: {}, values: [value] }] }]);
  const field = frames[0]?.fields[0];
  if (!field) throw new Error("no field");
  return shownValue(field, value);
}

export type { Dashboard, DataFrame };

/** Regex metacharacters escaped as Grafana's Prometheus datasource escapes a multi-value variable. */
const regexEscape = (value: string): string => value.replace(/[\\^$*+?.()|{}[\]]/g, "\\\\$&");

/**
 * The dashboard's template variables as Grafana resolves them on first load: each `label_values`
 * query asked in order (later ones see earlier values); a single-select variable takes its first
 * value, a multi-select one with "All" takes its `allValue` or, without one, `(v1|v2|…)` of the values.
 */
/** `chosen`: values picked in the URL (`var-tenant=acme`), kept for a single-select variable when they are among its values. */
export async function resolveVariables(
  dashboard: Dashboard,
  prometheus: Pick<PrometheusApi, "instant">,
  time: number,
  base: Readonly<Record<string, string>>,
  chosen: Readonly<Record<string, string>> = {},
): Promise<Record<string, string>> {
  const values: Record<string, string> = { ...base };
  for (const variable of dashboard.templating.list) {
    if (variable.type !== "query") continue;
    const expr = typeof variable.query === "string" ? variable.query : (variable.query?.query ?? "");
    const match = /^label_values\((.+),\s*(\w+)\)$/.exec(expr.trim());
    if (!match) throw new Error(`variable ${variable.name}: expected label_values(selector, label)`);
    const [, selector = "", label = ""] = match;
    const series = await prometheus.instant(`group by (${label}) (${substituteVariables(selector, values)})`, time);
    const found = [...new Set(series.map((one) => one.metric[label] ?? ""))].filter((value) => value !== "").sort();
    const multiOrAll = variable.multi === true || variable.includeAll === true;
    const pick = chosen[variable.name];
    if (pick !== undefined && found.includes(pick)) values[variable.name] = multiOrAll ? regexEscape(pick) : pick;
    else if (!multiOrAll) values[variable.name] = found[0] ?? "";
    else if (typeof variable.allValue === "string" && variable.allValue !== "") values[variable.name] = variable.allValue;
    else values[variable.name] = found.length === 1 ? regexEscape(found[0] ?? "") : `(${found.map(regexEscape).join("|")})`;
  }
  return values;
}
