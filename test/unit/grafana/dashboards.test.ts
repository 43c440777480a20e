// The shipped dashboards: valid against Grafana's own schema (generated from @grafana/schema), wired
// to the datasource variable, with the template variables and panels a wallboard needs, and equal
// to what grafana/source generates.
import { describe, expect, it } from "vitest";
import { dashboards as generatedDashboards, render } from "../../../grafana/source/build.js";
import { TV_ROWS } from "../../../grafana/source/wallboard-tv.js";
import { type Dashboard, type Panel, allPanels, loadDashboards, panelQueries, substituteVariables, variableQueries } from "../../e2e/dashboard-queries.js";
import { buildDashboardSchemas, describeErrors, isPanelType, type DashboardSchemas } from "./grafana-schema.js";

const schemas: DashboardSchemas = buildDashboardSchemas();
const dashboards = loadDashboards();
const byUid = (uid: string): Dashboard => {
  const found = dashboards.find(({ dashboard }) => dashboard.uid === uid);
  if (!found) throw new Error(`no dashboard with uid ${uid} in grafana/dashboards/`);
  return found.dashboard;
};

/** Every schema problem of a dashboard, one per line, each naming the panel; "" when valid. */
function schemaProblems(dashboard: unknown): string {
  const problems: string[] = [];
  if (!schemas.dashboard(dashboard)) {
    // Panel errors come from the per-panel checks below, without the anyOf noise.
    const outsidePanels = schemas.dashboard.errors?.filter((error) => !error.instancePath.startsWith("/panels/"));
    if (outsidePanels?.length) problems.push(describeErrors(outsidePanels));
  }
  for (const [index, panel] of (dashboard as Dashboard).panels.entries()) {
    const validate = panel.type === "row" ? schemas.row : schemas.panel;
    if (!validate(panel as unknown)) problems.push(describeErrors(validate.errors, `panel "${panel.title}" /panels/${index}`));
  }
  for (const panel of allPanels(dashboard as Dashboard)) {
    const where = `panel "${panel.title}" (${panel.type})`;
    if (!isPanelType(panel.type)) {
      problems.push(`${where}: no schema for panel type ${panel.type} (add it to PANEL_TYPES)`);
      continue;
    }
    const { options, fieldConfig } = schemas.panels[panel.type];
    if (!options(panel.options)) problems.push(`${where} options ${describeErrors(options.errors)}`);
    const custom = (panel.fieldConfig as { defaults?: { custom?: unknown } } | undefined)?.defaults?.custom;
    if (fieldConfig ? !fieldConfig(custom ?? {}) : custom !== undefined) {
      problems.push(`${where} fieldConfig.defaults.custom ${fieldConfig ? describeErrors(fieldConfig.errors) : ": this panel type has none"}`);
    }
  }
  return problems.join("\n");
}

describe("grafana/dashboards", () => {
  it("ships the TV wallboard, the desk dashboard and the exporter-health dashboard", () => {
    expect(dashboards.map(({ file }) => file)).toEqual(["brightpattern-desk.json", "brightpattern-exporter-health.json", "brightpattern-wallboard.json"]);
  });

  it.each(dashboards)("$file is what grafana/source generates (npm run grafana:dashboards)", async ({ file }) => {
    const { readFile } = await import("node:fs/promises");
    const generated = generatedDashboards()[file];
    expect(generated, `grafana/source/build.ts generates ${file}`).toBeDefined();
    expect(await readFile(new URL(`../../../grafana/dashboards/${file}`, import.meta.url), "utf8")).toBe(render(generated ?? {}));
  });

  it.each(dashboards)("$file is valid against Grafana's dashboard and panel schemas", ({ dashboard }) => {
    expect(schemaProblems(dashboard)).toBe("");
  });

  it("rejects a broken dashboard, naming what is wrong", () => {
    const broken = structuredClone(byUid("brightpattern-wallboard")) as Dashboard & { schemaVersion?: unknown };
    delete broken.schemaVersion; // required
    const first = broken.panels[0] as Record<string, unknown>;
    first.gridPos = { x: 0, y: 0, w: "wide", h: 4 }; // w is a number
    first.colour = "red"; // not a panel key
    const problems = schemaProblems(broken);
    expect(problems).toContain("must have required property 'schemaVersion'");
    expect(problems).toContain('panel "Calls waiting" /panels/0/gridPos/w: must be number');
    expect(problems).toContain('panel "Calls waiting" /panels/0: must NOT have additional properties "colour"');
  });

  it("rejects wrong panel options and field config, naming the panel", () => {
    const broken = structuredClone(byUid("brightpattern-desk"));
    const stat = allPanels(broken).find((panel) => panel.type === "stat");
    const table = allPanels(broken).find((panel) => panel.type === "table");
    if (!stat || !table) throw new Error("the desk dashboard has stat and table panels");
    (stat.options as Record<string, unknown>).colorMode = "rainbow";
    (table.fieldConfig as { defaults: { custom: Record<string, unknown> } }).defaults.custom.align = "middle";
    const problems = schemaProblems(broken);
    expect(problems).toContain(`panel "${stat.title}" (stat) options /colorMode: must be equal to one of the allowed values`);
    expect(problems).toContain(`panel "${table.title}" (table) fieldConfig.defaults.custom /align: must be equal to one of the allowed values`);
  });

  it.each(dashboards)("$file: fixed uid, unique panel ids, every panel on the datasource variable", ({ dashboard }) => {
    expect(dashboard.uid).toMatch(/^brightpattern-[a-z-]+$/);
    const panels = allPanels(dashboard);
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    expect(new Set(panels.map((panel) => panel.title)).size, "unique panel titles").toBe(panels.length);
    for (const panel of panels) {
      expect(panel.datasource, `panel "${panel.title}"`).toEqual({ type: "prometheus", uid: "${datasource}" });
      expect(panel.targets?.length, `panel "${panel.title}" has queries`).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target.datasource, `panel "${panel.title}" ${target.refId}`).toEqual(panel.datasource);
    }
    expect(dashboard.templating.list[0]).toMatchObject({ type: "datasource", name: "datasource", query: "prometheus" });
  });

  it.each(dashboards)("$file: panels do not overlap and fit the 24-column grid", ({ dashboard }) => {
    const boxes = allPanels(dashboard).map((panel) => ({ title: panel.title, ...(panel.gridPos as { x: number; y: number; w: number; h: number }) }));
    for (const box of boxes) expect(box.x + box.w, `panel "${box.title}"`).toBeLessThanOrEqual(24);
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `panels "${a.title}" and "${b.title}" overlap`).toBe(false);
      }
    }
  });

  it("fits the TV wallboard on a 1080p screen in kiosk mode: at most 27 grid rows, no tables", () => {
    const tv = byUid("brightpattern-wallboard");
    const bottom = Math.max(...allPanels(tv).map((panel) => gridPos(panel).y + gridPos(panel).h));
    expect(TV_ROWS).toBe(27);
    expect(bottom).toBeLessThanOrEqual(TV_ROWS);
    expect(allPanels(tv).filter((panel) => panel.type === "table").map((panel) => panel.title)).toEqual([]);
    // Self-sizing numbers: no fixed value size, which would not scale from 1080p to 4K.
    for (const panel of allPanels(tv)) expect((panel.options as { text?: unknown } | undefined)?.text, `panel "${panel.title}"`).toBeUndefined();
  });

  it.each(dashboards)("$file: every panel has a unit and a \"No value\" text", ({ dashboard }) => {
    for (const panel of allPanels(dashboard)) {
      const defaults = (panel.fieldConfig as { defaults?: { unit?: string; noValue?: string } } | undefined)?.defaults;
      expect(defaults?.unit, `panel "${panel.title}" unit`).toMatch(/^\w+$/);
      expect(defaults?.noValue, `panel "${panel.title}" noValue`).toMatch(/^(No data|No errors|No chat|No successful)/);
    }
  });

  it.each(["brightpattern-wallboard", "brightpattern-desk"])("%s: app and grids single-select, every statistic query on the selected app and grid", (uid) => {
    const dashboard = byUid(uid);
    const variables = Object.fromEntries(dashboard.templating.list.map((variable) => [variable.name, variable]));
    for (const name of ["app_id", "service_grid", "agent_grid"]) {
      expect(variables[name], name).toMatchObject({ type: "query", multi: false, includeAll: false });
    }
    for (const query of panelQueries(dashboard)) {
      for (const [, name = "", matchers = ""] of query.expr.matchAll(/(brightpattern_\w+)\{([^}]*)\}/g)) {
        if (/^brightpattern_(last_success_timestamp_seconds|statistic_series)$/.test(name)) continue; // self-metrics
        expect(matchers, `${query.where}: ${name}`).toContain('app_id="$app_id"');
        if (name.startsWith("brightpattern_service_") && name !== "brightpattern_service_level_ratio") expect(matchers, `${query.where}: ${name}`).toContain('grid="$service_grid"');
        if (name.startsWith("brightpattern_agent_")) expect(matchers, `${query.where}: ${name}`).toContain('grid="$agent_grid"');
      }
    }
    expect(variables.grid).toBeUndefined();
  });

  it("gives the desk service and team filters and an agent for the personal view", () => {
    const desk = byUid("brightpattern-desk");
    expect(desk.templating.list.map((variable) => variable.name)).toEqual(["datasource", "tenant", "app_id", "service_grid", "agent_grid", "service", "team", "agent"]);
    expect(desk.templating.list.find((variable) => variable.name === "agent")).toMatchObject({ multi: false, includeAll: false });
    const personal = allPanels(desk).filter((panel) => panel.targets?.some((target) => target.expr.includes('agent="$agent"')));
    expect(personal.map((panel) => panel.title)).toEqual(["Agent", "State", "Reason", "Time in state", "Calls handled today", "After-call work today"]);
  });

  it("shows agent states in one fixed order and colour, an unknown state in neutral grey", () => {
    const tv = allPanels(byUid("brightpattern-wallboard")).find((panel) => panel.title.startsWith("Agents by state"));
    expect(tv?.targets?.map((target) => (target as { legendFormat?: string }).legendFormat)).toEqual(["Ready", "Busy", "After-call work", "Not ready", "Logged out", "Other"]);
    const colours = (tv?.fieldConfig as { overrides: { properties: { value: { fixedColor: string } }[] }[] }).overrides.map((override) => override.properties[0]?.value.fixedColor);
    expect(colours).toEqual(["green", "blue", "purple", "orange", "#5c5c5c", "#8e8e8e"]);
    const agents = allPanels(byUid("brightpattern-desk")).find((panel) => panel.title === "Agents");
    const state = (agents?.fieldConfig as { overrides: { matcher: { options: string }; properties: { id: string; value: unknown }[] }[] }).overrides.filter((override) => override.matcher.options === "State");
    expect(JSON.stringify(state)).toContain('"ready":{"text":"Ready","color":"green"');
    expect(state.flatMap((override) => override.properties)).toContainEqual({ id: "color", value: { mode: "fixed", fixedColor: "#8e8e8e" } });
  });

  it("highlights urgent chat messages: the whole row red when urgent is true", () => {
    const chat = allPanels(byUid("brightpattern-desk")).find((panel) => panel.title === "Latest chat messages");
    const overrides = (chat?.fieldConfig as { overrides: { matcher: { options: string }; properties: { id: string; value: unknown }[] }[] }).overrides;
    const urgent = overrides.filter((override) => override.matcher.options === "Urgent").flatMap((override) => override.properties);
    expect(urgent).toContainEqual({ id: "custom.cellOptions", value: { type: "color-background", applyToRow: true } });
    expect(JSON.stringify(urgent.find((property) => property.id === "mappings"))).toContain('"true":{"text":"URGENT","color":"red"');
  });

  it("keeps the health dashboard on the exporter's own targets: one job, instances without \".*\"", () => {
    const health = byUid("brightpattern-exporter");
    const [, job, instance] = health.templating.list;
    expect(job).toMatchObject({ name: "job", multi: false, includeAll: false });
    expect(instance).toMatchObject({ name: "instance", multi: true, includeAll: true });
    expect(instance?.allValue).toBeUndefined(); // Grafana then sends (a|b|…) of the exporter's instances
    for (const query of panelQueries(health)) expect(query.expr, query.where).toMatch(/job="\$job", instance=~"\$instance"/);
  });

  it("draws the health dashboard's poller backoff red, only the error reasons that occur, and says what a window counts", () => {
    const panels = allPanels(byUid("brightpattern-exporter"));
    const find = (title: string): Panel => {
      const found = panels.find((panel) => panel.title.startsWith(title));
      if (!found) throw new Error(`no panel ${title}`);
      return found;
    };
    const poller = JSON.stringify((find("Poller state").fieldConfig as { defaults: { mappings: unknown } }).defaults.mappings);
    expect(poller).toContain('"backoff":{"text":"backoff","color":"red"');
    expect(poller).toContain('"polling":{"text":"polling","color":"green"');
    expect(find("Errors by reason").targets?.[0]?.expr).toMatch(/\) > 0$/);
    expect((find("Errors by reason").fieldConfig as { defaults: { noValue: string } }).defaults.noValue).toBe("No errors");
    const logins = find("Logins and subscriptions");
    expect(logins.title).toBe("Logins and subscriptions · in the hour before");
    for (const target of logins.targets ?? []) expect(target.expr).toContain("[1h]");
  });

  it("turns template variable queries into PromQL", () => {
    const wallboard = byUid("brightpattern-wallboard");
    expect(variableQueries(wallboard).map(({ label, promql }) => [label, promql])).toEqual([
      ["tenant", "group by (tenant) (brightpattern_up)"],
      ["app_id", 'group by (app_id) ({__name__=~"brightpattern_.+", tenant=~"", app_id!=""})'],
      ["grid", 'group by (grid) ({__name__=~"brightpattern_service_.+", tenant=~"", app_id="wallboard", grid!=""})'],
      ["grid", 'group by (grid) ({__name__=~"brightpattern_agent_.+", tenant=~"", app_id="wallboard", grid!=""})'],
    ]);
  });
});

const gridPos = (panel: Panel): { x: number; y: number; w: number; h: number } => panel.gridPos as { x: number; y: number; w: number; h: number };

describe("substituteVariables", () => {
  it.each([
    ['up{job="$job"}', 'up{job="brightpattern-exporter"}'],
    ['rate(x{app_id="${app_id}"}[$__rate_interval])', 'rate(x{app_id="wallboard"}[1m])'],
    ['x{service_name=~"${service:regex}"}', 'x{service_name=~".*"}'],
    ["no variables", "no variables"],
  ])("%s → %s", (expr, expected) => {
    expect(substituteVariables(expr)).toBe(expected);
  });

  it("throws on an unknown variable, naming it and the query", () => {
    expect(() => substituteVariables("x{a=~\"$nope\"}")).toThrow('unknown template variable $nope in: x{a=~"$nope"}');
  });
});
