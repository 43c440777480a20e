// The wallboards as a supervisor reads them: every table, stat and time-series panel is drawn with
// Grafana's own code (grafana-panel.ts) from a real Prometheus scraping the exporter, and what is on
// the screen is asserted: one full row per service and per agent, durations as hh:mm:ss, percents
// with one decimal, dates in this year, no "No value" while the data is fresh.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REASON } from "../../grafana/source/panels.js";
import { SERVICE_LEVEL_TARGET } from "../../grafana/source/thresholds.js";
import { type Dashboard, type Panel, VARIABLE_VALUES, allPanels, loadDashboards } from "./dashboard-queries.js";
import { type RenderedPanel, type RenderContext, formatAs, renderPanel, resolveVariables } from "./grafana-panel.js";
import { type Stack, startStack } from "./stack.js";

/** The dashboards a supervisor reads (the exporter-health dashboard is for whoever runs the exporter). */
const WALLBOARD_UIDS = ["brightpattern-wallboard", "brightpattern-desk"];
const wallboards = loadDashboards().filter(({ dashboard }) => WALLBOARD_UIDS.includes(dashboard.uid));
const DRAWN_TYPES = ["table", "stat", "gauge", "timeseries"];

let stack: Stack;
let context: RenderContext;
const rendered = new Map<string, { dashboard: Dashboard; panels: RenderedPanel[] }>();

beforeAll(async () => {
  stack = await startStack();
  const time = Math.floor(Date.now() / 1000);
  for (const { file, dashboard } of wallboards) {
    const variables = await resolveVariables(dashboard, stack.prometheus, time, VARIABLE_VALUES);
    context = { prometheus: stack.prometheus, time, variables };
    const panels: RenderedPanel[] = [];
    for (const panel of allPanels(dashboard).filter((candidate) => DRAWN_TYPES.includes(candidate.type))) panels.push(await renderPanel(panel, context));
    rendered.set(file, { dashboard, panels });
    if (process.env.WALLBOARD_DUMP) process.stdout.write(dump(file, panels));
  }
});

/** The wallboard as text, what a supervisor reads (WALLBOARD_DUMP=1 prints it). */
function dump(file: string, panels: RenderedPanel[]): string {
  const lines = [`== ${file}`];
  for (const view of panels) {
    lines.push(`-- ${view.panel.title}`);
    for (const tile of view.tiles ?? []) lines.push(`   [${tile.title}] ${tile.text} (${tile.color})`);
    for (const series of view.series ?? []) lines.push(`   ${series.name}: ${series.last.text} (${series.points} points)`);
    if (view.table) {
      lines.push(`   | ${view.table.columns.join(" | ")}`);
      for (const row of view.table.rows) lines.push(`   | ${view.table.columns.map((column) => row[column]?.text ?? "").join(" | ")}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

afterAll(async () => {
  await stack?.stop();
});

/** What a query's values are, from the first metric it reads: durations, dates, ratios or counts. */
type Kind = "duration" | "date" | "percent" | "count";
function kindOf(expr: string): Kind {
  if (/^\s*time\(\)\s*-/.test(expr)) return "duration"; // an age
  const metric = /brightpattern_\w+/.exec(expr)?.[0] ?? "";
  if (metric.endsWith("_timestamp_seconds")) return "date";
  if (metric.endsWith("_seconds")) return "duration";
  if (metric.endsWith("_ratio") || /\s\/\s/.test(expr)) return "percent"; // a share of calls
  return "count";
}

/** The query (refId) behind each drawn field name: `Value #A`, `Value`, or the organize step's new name. */
function refIdsByFieldName(panel: Panel): Map<string, string> {
  const targets = (panel.targets ?? []).filter((target) => !target.hide);
  const names = new Map<string, string>();
  for (const target of targets) names.set(targets.length > 1 ? `Value #${target.refId}` : "Value", target.refId);
  const organize = (panel.transformations as { id: string; options: { renameByName?: Record<string, string> } }[] | undefined)?.find((step) => step.id === "organize");
  for (const [from, to] of Object.entries(organize?.options.renameByName ?? {})) {
    const refId = names.get(from);
    if (refId) names.set(to, refId);
  }
  return names;
}

const exprOf = (panel: Panel, refId: string | undefined): string => panel.targets?.find((target) => target.refId === refId)?.expr ?? "";

/** Every drawn value's field with the kind of the query it shows. */
function drawnFields(view: RenderedPanel): { name: string; kind: Kind; values: unknown[] }[] {
  const byName = refIdsByFieldName(view.panel);
  return view.frames.flatMap((frame) =>
    frame.fields
      .filter((field) => field.type === "number")
      .map((field) => {
        const refId = view.panel.type === "table" ? byName.get(field.config.displayName ?? field.name) ?? byName.get(field.name) : frame.refId;
        return { name: field.config.displayName ?? field.name, kind: kindOf(exprOf(view.panel, refId)), values: field.values };
      }),
  );
}

const views = (): [string, RenderedPanel][] => [...rendered.entries()].flatMap(([file, { panels }]) => panels.map((view): [string, RenderedPanel] => [file, view]));
const describePanel = (file: string, view: RenderedPanel): string => `${file}: panel "${view.panel.title}"`;

describe.each(wallboards.map(({ file }) => ({ file })))("$file as Grafana draws it", ({ file }) => {
  const panelsOf = (): RenderedPanel[] => rendered.get(file)?.panels ?? [];

  it("draws something on every panel: no \"No value\", no NaN, no unfilled legend", () => {
    const problems: string[] = [];
    for (const view of panelsOf()) {
      const where = describePanel(file, view);
      const texts = [
        ...(view.tiles ?? []).map((tile) => tile.text),
        ...(view.table?.rows ?? []).flatMap((row) => Object.values(row).map((cell) => cell.text)),
        ...(view.series ?? []).map((series) => series.last.text),
      ];
      if (texts.length === 0) problems.push(`${where}: nothing drawn (Grafana shows "${view.noValue ?? "No data"}")`);
      const reasons: string[] = Object.values(REASON).map(({ text }) => text);
      for (const text of texts) if (/NaN|No value|No data/.test(text) || reasons.includes(text)) problems.push(`${where}: shows "${text}"`);
      for (const series of view.series ?? []) if (series.name === "" || series.name.includes("{")) problems.push(`${where}: legend "${series.name}"`);
    }
    expect(problems).toEqual([]);
  });

  it("draws tables with one row per service, team or agent, every cell filled", () => {
    const problems: string[] = [];
    for (const view of panelsOf().filter((candidate) => candidate.table)) {
      const where = describePanel(file, view);
      const { columns, rows } = view.table ?? { columns: [], rows: [] };
      for (const row of rows) {
        const empty = columns.filter((column) => (row[column]?.text ?? "").trim() === "");
        if (empty.length > 0) problems.push(`${where}: row ${JSON.stringify(Object.values(row).map((cell) => cell.text))} has empty ${empty.map((column) => `"${column}"`).join(", ")}`);
      }
      // The row key: the label that names a row (service, agent, team, message), and its column.
      const labels = [...new Set(view.answers.flatMap(({ series }) => series.flatMap((one) => Object.keys(one.metric))))];
      const rowLabel = ["service_name", "agent", "team_name", "id"].find((label) => labels.includes(label));
      if (!rowLabel) {
        problems.push(`${where}: no row label among ${labels.join(", ")}`);
        continue;
      }
      const expected = new Set(view.answers.flatMap(({ series }) => series.map((one) => one.metric[rowLabel])).filter((value) => value !== undefined));
      if (rows.length !== expected.size) problems.push(`${where}: ${rows.length} rows for ${expected.size} ${rowLabel} values (rows not combined)`);
      const organize = (view.panel.transformations as { id: string; options: { renameByName?: Record<string, string> } }[] | undefined)?.find((step) => step.id === "organize");
      const keyColumn = organize?.options.renameByName?.[rowLabel] ?? rowLabel;
      if (columns.includes(keyColumn)) {
        const keys = rows.map((row) => row[keyColumn]?.text ?? "");
        if (new Set(keys).size !== keys.length) problems.push(`${where}: ${keys.length} rows for ${new Set(keys).size} values of "${keyColumn}"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("shows durations as hh:mm:ss (119 s as 00:01:59), percents with one decimal, dates in this year", () => {
    const problems: string[] = [];
    const year = String(new Date().getUTCFullYear());
    for (const view of panelsOf()) {
      const where = describePanel(file, view);
      for (const field of drawnFields(view)) {
        const shown = (value: number): string => formatAs(view.panel, field.name, value).text;
        if (field.kind === "duration" && shown(119) !== "00:01:59") problems.push(`${where}, "${field.name}": 119 s shows as "${shown(119)}"`);
        if (field.kind === "percent" && shown(0.796) !== "79.6%") problems.push(`${where}, "${field.name}": 0.796 shows as "${shown(0.796)}"`);
        if (field.kind === "date") {
          for (const value of field.values) if (!shown(Number(value)).includes(year)) problems.push(`${where}, "${field.name}": ${String(value)} shows as "${shown(Number(value))}"`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

const panelOf = (file: string, title: string): RenderedPanel => {
  const panels = rendered.get(file)?.panels ?? [];
  const found = panels.find((view) => view.panel.title === title) ?? panels.find((view) => view.panel.title.startsWith(`${title} ·`));
  if (!found) throw new Error(`${file} has no panel "${title}"`);
  return found;
};
const NEUTRAL = "#8e8e8e";

describe("the wallboards as a supervisor reads them", () => {
  it("shows the agent states in a fixed order, each in its colour, unknown states in neutral grey", () => {
    const tiles = panelOf("brightpattern-wallboard.json", "Agents by state").tiles ?? [];
    expect(tiles.map((tile) => tile.title)).toEqual(["Ready", "Busy", "After-call work", "Not ready", "Logged out", "Other"]);
    expect(tiles[0]?.color).toBe("#73BF69"); // Grafana's green
    expect(tiles[5]?.color).toBe(NEUTRAL);
    const total = tiles.reduce((sum, tile) => sum + tile.numeric, 0);
    expect(total).toBeGreaterThan(0);

    const table = panelOf("brightpattern-desk.json", "Agents");
    expect(formatAs(table.panel, "State", "ready")).toEqual({ text: "Ready", color: "#73BF69" });
    expect(formatAs(table.panel, "State", "supervising")).toEqual({ text: "supervising", color: NEUTRAL });
    const state = panelOf("brightpattern-desk.json", "State");
    expect(formatAs(state.panel, "state", "supervising").color).toBe(NEUTRAL);
    expect(new Set(table.table?.rows.map((row) => row.State?.text))).not.toContain("Logged out");
  });

  it("colours the service level against its target: 79.6 % red, 80.0 % green, the target marked on the dial", () => {
    const gauge = panelOf("brightpattern-wallboard.json", "Service level");
    expect(gauge.panel.type).toBe("gauge");
    expect(gauge.panel.options).toMatchObject({ showThresholdMarkers: true, showThresholdLabels: true });
    expect(formatAs(gauge.panel, "Value", SERVICE_LEVEL_TARGET - 0.004)).toEqual({ text: "79.6%", color: "#F2495C" });
    expect(formatAs(gauge.panel, "Value", SERVICE_LEVEL_TARGET)).toEqual({ text: "80.0%", color: "#73BF69" });
    const perService = panelOf("brightpattern-wallboard.json", "Service level by service");
    expect(formatAs(perService.panel, "Value", 0.796).color).toBe("#F2495C");
  });

  it("says why a tile has no number: a statistic not in the subscription reads so, in grey", async () => {
    const calls = panelOf("brightpattern-wallboard.json", "Calls waiting").panel;
    const copy = structuredClone(calls);
    for (const target of copy.targets ?? []) target.expr = target.expr.replace("brightpattern_in_calls_waiting", "brightpattern_in_calls_not_subscribed");
    const view = await renderPanel(copy, context);
    expect(view.tiles?.map((tile) => [tile.text, tile.color])).toEqual([[REASON.notConfigured.text, NEUTRAL]]);
    const fresh = panelOf("brightpattern-wallboard.json", "Data freshness").tiles?.[0];
    expect(fresh?.text).toMatch(/^00:00:0\d$/);
  });

  it("shows today's chat messages with today's date, not 1970", () => {
    const chat = panelOf("brightpattern-desk.json", "Latest chat messages");
    const year = String(new Date().getUTCFullYear());
    expect(chat.table?.rows.length).toBeGreaterThan(0);
    for (const row of chat.table?.rows ?? []) expect(row.Sent?.text.slice(0, 4)).toBe(year);
  });

  it("draws every table, stat and time-series panel of both wallboards", () => {
    expect(wallboards.map(({ dashboard }) => dashboard.uid).sort()).toEqual([...WALLBOARD_UIDS].sort());
    for (const [file, view] of views()) expect(DRAWN_TYPES, describePanel(file, view)).toContain(view.panel.type);
  });
});
