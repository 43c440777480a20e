// The metric plan: everything about turning subscription data into families that does not depend on
// the data, worked out once per config (names, types, parsers, pre-escaped label prefixes) and checked
// for clashes, so that rendering a poll is one tight pass.
import type { AppConfig, ColumnType, Config, ConfigIssue, GridConfig, PercentScale, TotalConfig, ValueMapping } from "../config/types.js";
import { type StatisticScope, knownStatistic } from "./catalogue.js";
import { statisticNameWarning } from "./statistic-names.js";
import { openMetricsHeader } from "./openmetrics.js";
import { escapeHelp, escapeLabelValue } from "./text-format.js";
import { selfMetricNames } from "./self-metric-names.js";
import { isRecord } from "../document/is-record.js";
import { TENANT_LABEL } from "../config/tenant-label.js";

/** How a value becomes samples. `auto`: an unknown statistic, rendered as a number (text is counted as invalid). */
export type PlannedType = ColumnType | "auto";
export type GridScope = "service" | "agent";
export type FamilyKind = "gauge" | "stateset" | "info";

export interface ValuePlan {
  /** YAML path of the total or column, for messages. */
  path: string;
  statName: string;
  /** Where the value is in the data: the statistic name in stats_totals, the column id in a grid row. */
  dataKey: string;
  type: PlannedType;
  percentScale: PercentScale;
  /** Family of number/duration/percent/timestamp/state/auto values ("" for label values). */
  family: string;
  /** Label name for label values ("" otherwise). */
  label: string;
  /** A label value that changes with the agent's state: its own `_info` family (`family`), not the grid's `_info`. */
  volatile: boolean;
  /** State values: the states always given a series (0 or 1), and the state an empty value means. */
  states?: { known: readonly string[]; empty: string };
  /** The statistics a SUM column adds up. */
  sumOf?: readonly string[];
}

export interface GridPlan {
  path: string;
  id: string;
  scope: GridScope;
  /** Column id whose value identifies a row. */
  keyColumn: string;
  /** Row label name of the key: agent or service_name. */
  keyLabel: string;
  /** `{app_id="…",grid="…",agent="` — a row's label set starts with this, then its escaped key. */
  rowPrefix: string;
  /** Every column but the key, in config order. */
  values: ValuePlan[];
  /** The grid's `limit`: at most this many rows come back, whatever the grid holds. */
  limit?: number;
  /** Rows served at most: the grid's `limit`, else metrics.max_grid_rows (an upstream may send more). */
  maxRows: number;
}

export interface ChatPlan {
  path: string;
  limit: number;
}

export interface AppPlan {
  path: string;
  appId: string;
  /** `{app_id="…"` */
  labelPrefix: string;
  totals: ValuePlan[];
  serviceGrids: GridPlan[];
  agentGrids: GridPlan[];
  chat: ChatPlan | undefined;
}

/** Where a family's samples come from. */
export type FamilySource =
  | { kind: "total"; app: AppPlan; value: ValuePlan }
  | { kind: "column"; app: AppPlan; grid: GridPlan; value: ValuePlan }
  | { kind: "totals_info"; app: AppPlan }
  | { kind: "grid_info"; app: AppPlan; grid: GridPlan }
  | { kind: "volatile_label"; app: AppPlan; grid: GridPlan; value: ValuePlan }
  | { kind: "chat_timestamps" | "chat_count" | "chat_urgent"; app: AppPlan };

export interface FamilyPlan {
  name: string;
  /** `# HELP …\n# TYPE … gauge\n`, escaped. */
  header: string;
  /** The same for OpenMetrics: `# TYPE … gauge|stateset|info\n# UNIT …\n# HELP …\n`. */
  openMetricsHeader: string;
  kind: FamilyKind;
  sources: FamilySource[];
}

export interface MetricPlan {
  namespace: string;
  maxLabelLength: number;
  /** Series rendered at most; the rest are counted as cut. */
  maxSeries: number;
  apps: AppPlan[];
  /** Sorted by name: the exposition's order. */
  families: FamilyPlan[];
}

export interface PlanOptions {
  /** The config is one tenant of several: every series will carry the tenant label too. */
  tenant?: boolean;
}

export interface MetricPlanResult {
  plan: MetricPlan;
  issues: ConfigIssue[];
  warnings: ConfigIssue[];
}

const UNIT_SUFFIX: Partial<Record<ColumnType, string>> = { duration: "_seconds", percent: "_ratio", timestamp: "_timestamp_seconds" };
const ROW_LABELS: Record<StatisticScope, readonly string[]> = {
  totals: ["app_id"],
  service: ["app_id", "grid", "service_name"],
  agent: ["app_id", "grid", "agent"],
};
const SCOPE_PREFIX: Record<StatisticScope, string> = { totals: "", service: "service_", agent: "agent_" };
const UNIT_HELP: Partial<Record<PlannedType, string>> = { duration: ", in seconds", percent: ", as a ratio from 0 to 1", timestamp: ", as Unix seconds" };
const SCOPE_HELP: Record<StatisticScope, string> = { totals: "", service: " One series per service.", agent: " One series per agent." };
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** The ACD states every state column has a series for (1 for the current one, 0 for the others). */
export const KNOWN_STATES = ["ready", "not_ready", "busy", "after_call_work", "logged_out"] as const;
const EMPTY_STATE = "logged_out";
export const CHAT_FAMILIES = {
  timestamps: "chat_message_timestamp_seconds",
  count: "chat_messages",
  urgent: "chat_messages_urgent",
} as const;

/** A statistic name as a metric or label name part: lower-case, [a-z0-9_] only. */
function namePart(name: string): string {
  const part = name.toLowerCase().replace(/[^a-z0-9_]+/g, "_");
  return /^[0-9]/.test(part) ? `_${part}` : part;
}

function withUnit(part: string, type: ColumnType): string {
  const suffix = UNIT_SUFFIX[type] ?? "";
  return part.endsWith(suffix) ? part : part + suffix;
}

/** One place that defines a family, for the clash checks. */
interface Claim {
  path: string;
  kind: FamilyKind;
  /** number/duration/... for gauges; the unit must agree. */
  valueType: string;
  labels: string;
  /** Series identity within the family: app + grid. Two claims with the same identity produce the same series. */
  identity: string;
}

interface Family {
  plan: FamilyPlan;
  help: string;
  first: Claim;
  claims: Claim[];
}

class PlanBuilder {
  readonly issues: ConfigIssue[] = [];
  readonly warnings: ConfigIssue[] = [];
  private readonly families = new Map<string, Family>();
  private readonly reserved: Set<string>;

  constructor(
    private readonly config: Config,
    private readonly options: PlanOptions = {},
  ) {
    this.reserved = new Set(selfMetricNames(config.metrics.namespace));
  }

  build(): MetricPlan {
    const apps = this.config.subscription.apps.map((app, index) => this.app(app, `subscription.apps[${index}]`));
    const families = [...this.families.values()].map((f) => f.plan).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { namespace: this.config.metrics.namespace, maxLabelLength: this.config.metrics.max_label_length, maxSeries: this.config.metrics.max_series, apps, families };
  }

  private family(scope: StatisticScope, part: string): string {
    return `${this.config.metrics.namespace}_${SCOPE_PREFIX[scope]}${part}`;
  }

  /** Registers a source of a family, reporting clashes with earlier sources. */
  private claim(name: string, help: string, claim: Claim, source: FamilySource): void {
    if (this.reserved.has(name) || name.startsWith("process_") || name.startsWith("nodejs_")) {
      this.issues.push({ path: claim.path, message: `metric ${name} is one of the exporter's own metrics: set another "metric" name` });
      return;
    }
    const existing = this.families.get(name);
    if (existing === undefined) {
      const header = `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} gauge\n`;
      const openMetrics = openMetricsHeader(name, claim.kind, claim.valueType, help);
      this.families.set(name, { plan: { name, header, openMetricsHeader: openMetrics, kind: claim.kind, sources: [source] }, help, first: claim, claims: [claim] });
      return;
    }
    const { first } = existing;
    if (first.kind !== claim.kind || first.valueType !== claim.valueType || (claim.kind !== "info" && first.labels !== claim.labels)) {
      this.issues.push({
        path: claim.path,
        message:
          `metric ${name} is also defined by ${first.path} as a ${describe(first)}; here it would be a ${describe(claim)}: ` +
          `one family needs one type and one label set (set "metric" to another name)`,
      });
      return;
    }
    const twin = existing.claims.find((c) => c.identity === claim.identity);
    if (twin !== undefined) {
      this.issues.push({
        path: claim.path,
        message: `maps to the same series as ${twin.path} (metric ${name}): set "metric" on one of them to tell them apart`,
      });
      return;
    }
    existing.claims.push(claim);
    existing.plan.sources.push(source);
  }

  private app(app: AppConfig, path: string): AppPlan {
    const plan: AppPlan = {
      path,
      appId: app.app_id,
      labelPrefix: `{app_id="${escapeLabelValue(app.app_id, this.config.metrics.max_label_length)}"`,
      totals: [],
      serviceGrids: [],
      agentGrids: [],
      chat: app.chat_messages === undefined ? undefined : { path: `${path}.chat_messages`, limit: app.chat_messages.limit },
    };
    const infoLabels = new Map<string, string>();
    app.stats_totals.forEach((total, index) => {
      const value = this.value(total, total.stat_name, `${path}.stats_totals[${index}]`, "totals", this.config.metrics.percent_scale.totals);
      plan.totals.push(value);
      this.place(value, "totals", path, { kind: "total", app: plan, value }, infoLabels);
    });
    if (infoLabels.size > 0) this.info("totals", path, { kind: "totals_info", app: plan });
    plan.serviceGrids = app.service_grids.map((grid, index) => this.grid(plan, grid, `${path}.service_grids[${index}]`, "service"));
    plan.agentGrids = app.agent_grids.map((grid, index) => this.grid(plan, grid, `${path}.agent_grids[${index}]`, "agent"));
    if (plan.chat !== undefined) this.chat(plan, plan.chat.path);
    return plan;
  }

  private grid(app: AppPlan, grid: GridConfig, path: string, scope: GridScope): GridPlan {
    const keyLabel = ROW_LABELS[scope][2] ?? "";
    const max = this.config.metrics.max_label_length;
    const plan: GridPlan = {
      path,
      id: grid.id,
      scope,
      keyColumn: grid.key,
      keyLabel,
      rowPrefix: `${app.labelPrefix},grid="${escapeLabelValue(grid.id, max)}",${keyLabel}="`,
      values: [],
      ...(grid.limit === undefined ? {} : { limit: grid.limit }),
      maxRows: grid.limit ?? this.config.metrics.max_grid_rows,
    };
    const churn = churningOrder(grid);
    if (churn !== undefined) {
      this.warnings.push({
        path: `${path}.limit`,
        message:
          `limit ${grid.limit} with rows ordered by "${churn}", a value that changes every poll: rows move in and out of the ` +
          `first ${grid.limit}, their series vanish and come back, and counts on a wallboard run short. Order by the key ` +
          `column, or drop the limit (or make it larger than the rows can ever be)`,
      });
    }
    const infoLabels = new Map<string, string>();
    grid.columns.forEach((column, index) => {
      if (column.id === grid.key) return; // its value is the row's key label
      const columnPath = `${path}.columns[${index}]`;
      const value = this.value(column, column.stat_name, columnPath, scope, this.config.metrics.percent_scale.grids, column.id, column.sum_stat_names);
      plan.values.push(value);
      this.place(value, scope, path, { kind: "column", app, grid: plan, value }, infoLabels);
    });
    if (infoLabels.size > 0) this.info(scope, path, { kind: "grid_info", app, grid: plan });
    return plan;
  }

  /** Claims the family of a value, or its label in the scope's info family (or its own family, when volatile). */
  private place(value: ValuePlan, scope: StatisticScope, identity: string, source: FamilySource, infoLabels: Map<string, string>): void {
    const labelIssue = value.label === "" ? undefined : this.labelIssue(value.label, scope);
    if (labelIssue !== undefined) this.issues.push({ path: value.path, message: labelIssue });
    if (value.volatile && source.kind === "column") {
      if (labelIssue !== undefined) return;
      const labels = [...ROW_LABELS[scope], value.label].join(",");
      const help = this.help(value, scope);
      this.claim(value.family, help, { path: value.path, kind: "info", valueType: "volatile", labels, identity }, { ...source, kind: "volatile_label" });
      return;
    }
    if (value.label !== "" && labelIssue === undefined) {
      const clash = infoLabels.get(value.label);
      if (clash !== undefined) this.issues.push({ path: value.path, message: `label "${value.label}" is also set by ${clash}: set "label" on one of them` });
      else infoLabels.set(value.label, value.path);
    }
    if (value.family === "") return;
    const kind: FamilyKind = value.type === "state" ? "stateset" : "gauge";
    const labels = ROW_LABELS[scope].join(",") + (kind === "stateset" ? ",state" : "");
    const valueType = value.type === "auto" ? "number" : value.type;
    this.claim(value.family, this.help(value, scope), { path: value.path, kind, valueType, labels, identity }, source);
  }

  /**
   * Why a label column's label name cannot be used in `scope`: not a label name, or a label every series of the
   * scope already has (its row labels; with tenants also `tenant`, added to every series after rendering).
   */
  private labelIssue(label: string, scope: StatisticScope): string | undefined {
    if (!LABEL_NAME.test(label) || label.startsWith("__")) return `invalid label name "${label}": expected [a-zA-Z_][a-zA-Z0-9_]*, not starting with __`;
    if (ROW_LABELS[scope].includes(label)) {
      return `label "${label}" is already a label of every ${scope} series (${ROW_LABELS[scope].join(", ")}): set "label" to another name`;
    }
    if (this.options.tenant === true && label === TENANT_LABEL) {
      return `label "${label}" is already a label of every series in a config with tenants (the tenant's name): set "label" to another name`;
    }
    return undefined;
  }

  private info(scope: StatisticScope, path: string, source: FamilySource): void {
    const what = scope === "totals" ? "the app" : `each ${scope === "agent" ? "agent" : "service"} of the grid`;
    const help = `Text statistics of ${what} as labels; the value is always 1.`;
    const name = this.family(scope === "totals" ? "totals" : scope, scope === "totals" ? "totals_info" : "info");
    this.claim(name, help, { path, kind: "info", valueType: "info", labels: "", identity: path }, source);
  }

  private chat(app: AppPlan, path: string): void {
    const ns = this.config.metrics.namespace;
    const families = [
      [CHAT_FAMILIES.timestamps, "chat_timestamps", "Send time of each recent internal chat message, as Unix seconds."],
      [CHAT_FAMILIES.count, "chat_count", "Internal chat messages in the latest data (messages)."],
      [CHAT_FAMILIES.urgent, "chat_urgent", "Urgent internal chat messages in the latest data (messages)."],
    ] as const;
    for (const [part, kind, help] of families) {
      const labels = kind === "chat_timestamps" ? "app_id,id,login_id,first_name,last_name,urgent,content" : "app_id";
      this.claim(`${ns}_${part}`, help, { path, kind: "gauge", valueType: kind, labels, identity: path }, { kind, app });
    }
  }

  private help(value: ValuePlan, scope: StatisticScope): string {
    const known = knownStatistic(value.statName);
    if (known !== undefined && known.type === value.type) return known.help + SCOPE_HELP[scope];
    const unit = UNIT_HELP[value.type] ?? "";
    const what = value.sumOf === undefined ? `Bright Pattern statistic ${value.statName}` : sumHelp(value.sumOf);
    return `${what}${unit}.${SCOPE_HELP[scope]}`;
  }

  private value(
    mapping: TotalConfig | ValueMapping,
    statName: string,
    path: string,
    scope: StatisticScope,
    defaultScale: PercentScale,
    columnId?: string,
    sumOf?: readonly string[],
  ): ValuePlan {
    const catalogued = knownStatistic(statName);
    const known = statName === "SUM" ? sumInfo(sumOf ?? []) : catalogued;
    const nameWarning = statisticNameWarning(statName, scope, path);
    if (nameWarning !== undefined) this.warnings.push(nameWarning);
    const type: PlannedType = mapping.type ?? known?.type ?? "auto";
    // A SUM column is named after its column id unless it has a `metric`.
    const basePart = statName === "SUM" ? namePart(columnId ?? "sum") : (known?.metric ?? namePart(statName));
    const part = mapping.metric ?? (type === "auto" || type === "label" ? basePart : withUnit(basePart, type));
    // Text becomes a label only when the column says so (or the catalogue does): an unknown statistic is a number.
    const isLabel = type === "label";
    const volatile = isLabel && scope !== "totals" && catalogued?.volatile === true && this.config.metrics.volatile_labels === "own_families";
    const label = isLabel ? (mapping.label ?? known?.label ?? namePart(statName === "SUM" ? (columnId ?? "sum") : statName)) : "";
    if (type === "label" && mapping.metric !== undefined) {
      this.warnings.push({ path, message: `"metric" has no effect on a label column (it becomes the label "${mapping.label ?? known?.label ?? namePart(statName)}" of the info family)` });
    }
    if (!isLabel && mapping.label !== undefined) this.warnings.push({ path, message: `"label" has no effect on a ${type} column, only on label columns` });
    if (type !== "percent" && type !== "auto" && mapping.percent_scale !== undefined) {
      this.warnings.push({ path, message: `"percent_scale" has no effect on a ${type} column, only on percent columns` });
    }
    return {
      path,
      statName,
      dataKey: columnId ?? statName,
      type,
      percentScale: mapping.percent_scale ?? defaultScale,
      family: volatile ? this.family(scope, `${label}_info`) : type === "label" ? "" : this.family(scope, part),
      label,
      volatile,
      ...(type === "state" ? { states: stateSet(catalogued?.emptyState ?? EMPTY_STATE) } : {}),
      ...(statName === "SUM" ? { sumOf: sumOf ?? [] } : {}),
    };
  }
}

/**
 * What a SUM column adds up, in the words of the catalogue ("Inbound calls abandoned in queue today plus …"),
 * so that a supervisor reads what the number means; an unknown statistic is named as it is.
 */
function sumHelp(statNames: readonly string[]): string {
  const helps = statNames.map((name) => knownStatistic(name)?.help);
  // "Inbound calls waiting in queue now (calls)." → "Inbound calls waiting in queue now" and "calls"
  const units = new Set(helps.map((help) => /\(([^)]*)\)\.$/.exec(help ?? "")?.[1]));
  const parts = helps.map((help, index) => {
    const words = help === undefined ? `the statistic ${statNames[index]}` : help.replace(/\s*\([^)]*\)\.$|,? in seconds\.$|\.$/, "");
    return index === 0 ? words.charAt(0).toUpperCase() + words.slice(1) : words.charAt(0).toLowerCase() + words.slice(1);
  });
  const [unit] = units;
  return `${parts.join(" plus ")}${units.size === 1 && unit !== undefined ? ` (${unit})` : ""}`;
}

/** Statistics whose value stays put from poll to poll: ordering by them keeps a limited grid's row set. */
function isStableText(column: { stat_name: string; type?: ColumnType }): boolean {
  const known = knownStatistic(column.stat_name);
  const type = column.type ?? known?.type;
  return type === "label" && known?.volatile !== true;
}

/**
 * The column a limited grid is ordered by when its values change every poll (durations, counts, states, reasons):
 * undefined when there is no limit, or the order is by the key or a stable text. Both `order_by` and the
 * `order: [{by, dir}]` form of some clients count.
 */
export function churningOrder(grid: GridConfig): string | undefined {
  if (grid.limit === undefined) return undefined;
  const order = grid.extra.order;
  const firstBy = Array.isArray(order) && isRecord(order[0]) ? order[0].by : undefined;
  const by = grid.order_by ?? (typeof firstBy === "string" || typeof firstBy === "number" ? String(firstBy) : undefined);
  if (by === undefined || by === grid.key) return undefined;
  const column = grid.columns.find((c) => c.id === by);
  if (column === undefined || isStableText(column)) return undefined;
  return by;
}

/** A SUM of statistics of one known type has that type; otherwise it is left to the values. */
function sumInfo(statNames: readonly string[]): { type: ColumnType; metric?: string; label?: string } | undefined {
  const types = new Set(statNames.map((name) => knownStatistic(name)?.type));
  const [only] = types;
  return types.size === 1 && only !== undefined && only !== "label" && only !== "state" ? { type: only } : undefined;
}

/** The states of a state column: the known ones, plus what an empty value means when that is not one of them. */
function stateSet(empty: string): { known: readonly string[]; empty: string } {
  return { known: (KNOWN_STATES as readonly string[]).includes(empty) ? KNOWN_STATES : [...KNOWN_STATES, empty], empty };
}


function describe(claim: Claim): string {
  if (claim.kind === "info") return "info family";
  if (claim.kind === "stateset") return `state set with labels {${claim.labels}}`;
  return `${claim.valueType} gauge with labels {${claim.labels}}`;
}

export function buildMetricPlan(config: Config, options: PlanOptions = {}): MetricPlanResult {
  const builder = new PlanBuilder(config, options);
  const plan = builder.build();
  return { plan, issues: builder.issues, warnings: builder.warnings };
}
