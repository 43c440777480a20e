// Subscription data → Prometheus text exposition (format 0.0.4) and OpenMetrics (the same samples under
// other family headers, openmetrics.ts), in one pass over the plan's families
// (sorted by name, each family's samples contiguous across apps and grids). A pure function of plain
// data: no I/O, no clock. Bad values are counted and skipped, never fatal; anything configured but
// absent from the data simply has no samples.
import type { AppData, ChatMessage, GridData, GridRow, StatValue } from "../statsapi/types.js";
import type { AppPlan, FamilyPlan, FamilySource, GridPlan, MetricPlan, ValuePlan } from "./plan.js";
import { escapeLabelValue, formatValue } from "./text-format.js";
import { INVALID, NUMERIC_PARSERS, type Parsed, type ValueParser, labelText, parseBoolean, parseNumber, parseState, parseTimestamp } from "./values.js";
import { isRecord } from "../document/is-record.js";

export interface RenderedStatistics {
  text: string;
  /** The same samples with OpenMetrics family headers (without `# EOF`: the self-metrics follow). */
  openMetrics: string;
  /** Samples in `text`. */
  series: number;
  /** Values that could not be parsed (skipped). */
  invalidValues: number;
  /** The same, by YAML path of the total, column or chat_messages. */
  invalidByPath: Record<string, number>;
  /** Grid rows (and chat messages) without a value in their key column: skipped. */
  rowsWithoutKey: number;
  /** Grid rows (and chat messages) whose key was already seen in the grid: all but the first skipped. */
  duplicateRows: number;
  /** YAML paths of apps, totals, grids and chat_messages configured but absent from the data. */
  missing: string[];
  /** Per percent total or column (YAML path) with values in this poll: what says whether they fit their scale. */
  percentChecks: Record<string, PercentCheck>;
  /** Rows served per grid present in the data (rows without a key or repeated are not served). */
  gridRows: GridRows[];
  /** Grid rows past their grid's cap (its `limit` or metrics.max_grid_rows): not served. */
  rowsCut: number;
  /** Series past metrics.max_series: not served. */
  seriesCut: number;
}

export interface PercentCheck {
  /** The configured upstream scale (1 or 100). */
  scale: number;
  /** Ratios above 1.5: no share of calls is 150 %, so the scale is wrong (the values are 0–100 read on scale 1). */
  aboveRatio: number;
  /** Values (after scaling) this poll. */
  values: number;
  /** Every raw value was within 0–1 on scale 100 (a ratio of at most 0.01): with one above 0, the upstream may send 0–1. */
  withinOne: boolean;
  someAboveZero: boolean;
}

/** A ratio above this cannot be a share of anything (reference: percent scale unsettled). */
export const IMPOSSIBLE_RATIO = 1.5;

export interface GridRows {
  appId: string;
  grid: string;
  scope: "service" | "agent";
  rows: number;
  /** The rows the upstream sent reached the grid's limit: the limit may have cut some. */
  limitReached: boolean;
}

/** `,state="…"} ` for each state a state column always has a series for, made once per column. */
const stateSuffixes = new WeakMap<ValuePlan, (readonly [string, string])[]>();
function suffixesOf(value: ValuePlan): (readonly [string, string])[] {
  let suffixes = stateSuffixes.get(value);
  if (suffixes === undefined) {
    suffixes = (value.states?.known ?? []).map((state) => [state, `,state="${state}"} `] as const);
    stateSuffixes.set(value, suffixes);
  }
  return suffixes;
}

/** A grid of this poll: its rows with their label sets, and how its unknown statistics are typed now. */
interface ResolvedGrid {
  rows: GridRow[];
  /** `{app_id="…",grid="…",agent="…"` per row (without the closing brace). */
  labels: string[];
}

interface ResolvedApp {
  data: AppData;
  totals: Record<string, StatValue> | undefined;
  grids: Map<GridPlan, ResolvedGrid>;
}

class Rendering {
  series = 0;
  invalidValues = 0;
  readonly invalidByPath: Record<string, number> = {};
  rowsWithoutKey = 0;
  duplicateRows = 0;
  rowsCut = 0;
  seriesCut = 0;
  readonly missing: string[] = [];
  readonly gridRows: GridRows[] = [];
  readonly percentChecks: Record<string, PercentCheck> = {};
  readonly apps = new Map<AppPlan, ResolvedApp>();

  constructor(readonly plan: MetricPlan) {}

  invalid(path: string): void {
    this.invalidValues++;
    this.invalidByPath[path] = (this.invalidByPath[path] ?? 0) + 1;
  }

  /** Notes a served percent value (a ratio) for the scale check. */
  percent(value: ValuePlan, ratio: number): void {
    const check = (this.percentChecks[value.path] ??= { scale: value.percentScale, aboveRatio: 0, values: 0, withinOne: true, someAboveZero: false });
    check.values++;
    if (ratio > IMPOSSIBLE_RATIO) check.aboveRatio++;
    // On scale 100 a raw value within 0–1 is a ratio of at most 0.01 after scaling.
    if (ratio < 0 || ratio > 0.01) check.withinOne = false;
    if (ratio > 0) check.someAboveZero = true;
  }

  label(value: string): string {
    return escapeLabelValue(value, this.plan.maxLabelLength);
  }

  /** Whether `count` more series fit under metrics.max_series; if not, they are counted as cut. */
  fits(count: number): boolean {
    if (this.series + count <= this.plan.maxSeries) return true;
    this.seriesCut += count;
    return false;
  }
}


function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A cell of a row: own properties only (a column id like "constructor" must not read Object.prototype). */
function cell(row: Record<string, unknown>, key: string): StatValue | undefined {
  return Object.hasOwn(row, key) ? (row[key] as StatValue) : undefined;
}

function resolveGrid(r: Rendering, grid: GridPlan, data: GridData): ResolvedGrid {
  const rows: GridRow[] = [];
  const labels: string[] = [];
  const seen = new Set<string>();
  const values: unknown = data.values;
  const received = Array.isArray(values) ? (values as unknown[]) : [];
  for (const row of received) {
    const key = isRecord(row) ? labelText(cell(row, grid.keyColumn)) : "";
    if (key === "") {
      r.rowsWithoutKey++;
      continue;
    }
    const escaped = r.label(key);
    if (seen.has(escaped)) {
      r.duplicateRows++;
      continue;
    }
    seen.add(escaped);
    if (rows.length >= grid.maxRows) {
      r.rowsCut++;
      continue;
    }
    rows.push(row as GridRow);
    labels.push(`${grid.rowPrefix}${escaped}"`);
  }
  r.gridRows.push({ appId: "", grid: grid.id, scope: grid.scope, rows: rows.length, limitReached: grid.limit !== undefined && received.length >= grid.limit });
  return { rows, labels };
}

function findGrid(grids: unknown, id: string): GridData | undefined {
  if (!Array.isArray(grids)) return undefined;
  return (grids as unknown[]).find((grid): grid is GridData => isRecord(grid) && String(grid.id) === id);
}

/** Looks every configured app and grid up in the data once; notes what is missing. */
function resolve(r: Rendering, data: unknown): void {
  const apps = isRecord(data) ? data : {};
  for (const app of r.plan.apps) {
    const appData = own(apps, app.appId);
    if (!isRecord(appData)) {
      r.missing.push(app.path);
      continue;
    }
    const totals = isRecord(appData.stats_totals) ? (appData.stats_totals as Record<string, StatValue>) : undefined;
    if (app.totals.length > 0 && totals === undefined) r.missing.push(`${app.path}.stats_totals`);
    const grids = new Map<GridPlan, ResolvedGrid>();
    for (const [plans, section] of [
      [app.serviceGrids, appData.service_grids],
      [app.agentGrids, appData.agent_grids],
    ] as const) {
      for (const grid of plans) {
        const gridData = findGrid(section, grid.id);
        if (gridData === undefined) r.missing.push(grid.path);
        else {
          grids.set(grid, resolveGrid(r, grid, gridData));
          (r.gridRows.at(-1) as GridRows).appId = app.appId;
        }
      }
    }
    if (app.chat !== undefined && !Array.isArray(appData.chat_messages)) r.missing.push(app.chat.path);
    r.apps.set(app, { data: appData as AppData, totals, grids });
  }
}

/** Samples of one numeric or state value under one label set; "" when there is no value. */
function samples(r: Rendering, family: string, value: ValuePlan, raw: StatValue | undefined, labels: string): string {
  if (value.type === "state") {
    if (raw === undefined) return ""; // the column is absent from the row: no value, not "logged out"
    const current = parseState(raw, value.states?.empty);
    const suffixes = suffixesOf(value);
    if (!r.fits(suffixes.length + (suffixes.some(([state]) => state === current) ? 0 : 1))) return "";
    let out = "";
    let known = false;
    for (const [state, suffix] of suffixes) {
      known ||= state === current;
      out += `${family}${labels}${suffix}${state === current ? "1" : "0"}\n`;
    }
    r.series += suffixes.length;
    if (known) return out;
    r.series++;
    return `${out}${family}${labels},state="${r.label(current)}"} 1\n`;
  }
  const parsed = parserOf(value)(raw, value.percentScale);
  if (value.type === "percent" && typeof parsed === "number") r.percent(value, parsed);
  return numberSample(r, family, labels, value.path, parsed);
}

function parserOf(value: ValuePlan): ValueParser {
  return value.type === "auto" || value.type === "label" || value.type === "state" ? parseNumber : NUMERIC_PARSERS[value.type];
}

/** One sample line, or "" for no value (and a count for an invalid one). */
function numberSample(r: Rendering, family: string, labels: string, path: string, parsed: Parsed): string {
  if (parsed === undefined) return "";
  if (parsed === INVALID) {
    r.invalid(path);
    return "";
  }
  if (!r.fits(1)) return "";
  r.series++;
  return `${family}${labels}} ${formatValue(parsed)}\n`;
}

function columnSamples(r: Rendering, family: string, value: ValuePlan, grid: ResolvedGrid): string {
  const { rows, labels } = grid;
  const key = value.dataKey;
  if (value.type === "state") {
    const lines: string[] = [];
    for (let i = 0; i < rows.length; i++) lines.push(samples(r, family, value, cell(rows[i] as GridRow, key), labels[i] as string));
    return lines.join("");
  }
  // The hot loop of big grids: one parse and one concatenation per sample.
  const parse = parserOf(value);
  const { percentScale, path } = value;
  // An array joined once gives one flat string: a rope of thousands of parts would be copied by every young-generation GC.
  const lines: string[] = [];
  if (value.type === "percent") {
    for (let i = 0; i < rows.length; i++) {
      const parsed = parse(cell(rows[i] as GridRow, key), percentScale);
      if (typeof parsed === "number") r.percent(value, parsed);
      lines.push(numberSample(r, family, labels[i] as string, path, parsed));
    }
    return lines.join("");
  }
  for (let i = 0; i < rows.length; i++) lines.push(numberSample(r, family, labels[i] as string, path, parse(cell(rows[i] as GridRow, key), percentScale)));
  return lines.join("");
}

/** A label of the stable `_info` series (volatile ones have families of their own). */
const isInfoLabel = (value: ValuePlan): boolean => value.type === "label" && !value.volatile;

/** `,name="value"` for each stable label value of a row, in config order. */
function infoLabels(r: Rendering, values: readonly ValuePlan[], row: Record<string, StatValue>): string {
  let out = "";
  for (const value of values) {
    if (isInfoLabel(value)) out += `,${value.label}="${r.label(labelText(cell(row, value.dataKey)))}"`;
  }
  return out;
}

function gridInfo(r: Rendering, family: string, grid: GridPlan, resolved: ResolvedGrid): string {
  if (!grid.values.some(isInfoLabel)) return "";
  const lines: string[] = [];
  for (let i = 0; i < resolved.rows.length; i++) {
    if (!r.fits(1)) continue;
    lines.push(`${family}${resolved.labels[i] as string}${infoLabels(r, grid.values, resolved.rows[i] as GridRow)}} 1\n`);
    r.series++;
  }
  return lines.join("");
}

/** One series per row while the row has a value (a reason, a media type): at most one per row, whatever the churn. */
function volatileLabels(r: Rendering, family: string, value: ValuePlan, resolved: ResolvedGrid): string {
  const lines: string[] = [];
  for (let i = 0; i < resolved.rows.length; i++) {
    const text = labelText(cell(resolved.rows[i] as GridRow, value.dataKey));
    if (text.trim() === "" || !r.fits(1)) continue;
    lines.push(`${family}${resolved.labels[i] as string},${value.label}="${r.label(text)}"} 1\n`);
  }
  r.series += lines.length;
  return lines.join("");
}

function totalsInfo(r: Rendering, family: string, app: AppPlan, totals: Record<string, StatValue>): string {
  if (!app.totals.some(isInfoLabel)) return "";
  if (!r.fits(1)) return "";
  r.series++;
  return `${family}${app.labelPrefix}${infoLabels(r, app.totals, totals)}} 1\n`;
}

/** The chat messages that are objects (anything else in the list is ignored). */
function chatMessages(messages: unknown[]): ChatMessage[] {
  return messages.filter((m): m is ChatMessage => isRecord(m));
}

function chatTimestamps(r: Rendering, family: string, app: AppPlan, messages: ChatMessage[], limit: number): string {
  const path = `${app.path}.chat_messages`;
  const seen = new Set<string>();
  let out = "";
  for (const message of messages.slice(0, limit)) {
    const id = r.label(labelText(message.id));
    if (id === "") {
      r.rowsWithoutKey++;
      continue;
    }
    if (seen.has(id)) {
      r.duplicateRows++;
      continue;
    }
    seen.add(id);
    const sent = parseTimestamp(message.send_time);
    const urgent = parseBoolean(message.is_urgent);
    if (urgent === INVALID) r.invalid(path);
    if (typeof sent !== "number") {
      if (sent === INVALID) r.invalid(path);
      continue;
    }
    if (!r.fits(1)) continue;
    const labels =
      `${app.labelPrefix},id="${id}",login_id="${r.label(labelText(message.login_id))}",first_name="${r.label(labelText(message.first_name))}"` +
      `,last_name="${r.label(labelText(message.last_name))}",urgent="${urgent === 1 ? "true" : "false"}",content="${r.label(labelText(message.content))}"`;
    out += `${family}${labels}} ${formatValue(sent)}\n`;
    r.series++;
  }
  return out;
}

function renderSource(r: Rendering, family: FamilyPlan, source: FamilySource): string {
  const app = r.apps.get(source.app);
  if (app === undefined) return "";
  const name = family.name;
  switch (source.kind) {
    case "total": {
      if (app.totals === undefined) return "";
      const raw = own(app.totals, source.value.dataKey);
      return samples(r, name, source.value, raw, source.app.labelPrefix);
    }
    case "column": {
      const grid = app.grids.get(source.grid);
      return grid === undefined ? "" : columnSamples(r, name, source.value, grid);
    }
    case "volatile_label": {
      const grid = app.grids.get(source.grid);
      return grid === undefined ? "" : volatileLabels(r, name, source.value, grid);
    }
    case "grid_info": {
      const grid = app.grids.get(source.grid);
      return grid === undefined ? "" : gridInfo(r, name, source.grid, grid);
    }
    case "totals_info":
      return app.totals === undefined ? "" : totalsInfo(r, name, source.app, app.totals);
    default: {
      const raw: unknown = app.data.chat_messages;
      if (!Array.isArray(raw) || source.app.chat === undefined) return "";
      const messages = chatMessages(raw as unknown[]);
      if (source.kind === "chat_timestamps") return chatTimestamps(r, name, source.app, messages, source.app.chat.limit);
      const count = source.kind === "chat_count" ? messages.length : messages.filter((m) => parseBoolean(m.is_urgent) === 1).length;
      if (!r.fits(1)) return "";
      r.series++;
      return `${name}${source.app.labelPrefix}} ${count}\n`;
    }
  }
}

/** One family with samples in this poll: its headers (plan.ts) and its sample lines. */
export interface RenderedFamily {
  name: string;
  header: string;
  openMetricsHeader: string;
  samples: string;
}

export interface RenderedFamilies extends Omit<RenderedStatistics, "text" | "openMetrics"> {
  /** In exposition order; a family without samples this poll is left out (no header without samples). */
  families: RenderedFamily[];
}

/**
 * Renders subscription data (parsed JSON, any shape) family by family. Both formats share each family's
 * samples: the worker encodes them once and serves OpenMetrics as other headers around the same bytes.
 */
export function renderFamilies(data: unknown, plan: MetricPlan): RenderedFamilies {
  const r = new Rendering(plan);
  resolve(r, data);
  const families: RenderedFamily[] = [];
  for (const family of plan.families) {
    let samples = "";
    for (const source of family.sources) samples += renderSource(r, family, source);
    if (samples !== "") families.push({ name: family.name, header: family.header, openMetricsHeader: family.openMetricsHeader, samples });
  }
  return {
    families,
    series: r.series,
    invalidValues: r.invalidValues,
    invalidByPath: r.invalidByPath,
    rowsWithoutKey: r.rowsWithoutKey,
    duplicateRows: r.duplicateRows,
    missing: r.missing,
    gridRows: r.gridRows,
    percentChecks: r.percentChecks,
    rowsCut: r.rowsCut,
    seriesCut: r.seriesCut,
  };
}

/** Renders subscription data (parsed JSON, any shape) as the statistic exposition, both formats as text. */
export function renderStatistics(data: unknown, plan: MetricPlan): RenderedStatistics {
  const { families, ...findings } = renderFamilies(data, plan);
  return {
    text: families.map((family) => family.header + family.samples).join(""),
    openMetrics: families.map((family) => family.openMetricsHeader + family.samples).join(""),
    ...findings,
  };
}
