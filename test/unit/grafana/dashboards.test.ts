// The shipped dashboards: valid against Grafana's own schema (generated from @grafana/schema), wired
// to the datasource variable, with the template variables and panels a wallboard needs.
import { describe, expect, it } from "vitest";
import { type Dashboard, allPanels, loadDashboards, panelQueries, substituteVariables, variableQueries } from "../../e2e/dashboard-queries.js";
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
  it("ships the wallboard and the exporter-health dashboard", () => {
    expect(dashboards.map(({ file }) => file)).toEqual(["brightpattern-exporter-health.json", "brightpattern-wallboard.json"]);
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
    const broken = structuredClone(byUid("brightpattern-wallboard"));
    const stat = allPanels(broken).find((panel) => panel.type === "stat");
    const table = allPanels(broken).find((panel) => panel.type === "table");
    if (!stat || !table) throw new Error("the wallboard has stat and table panels");
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

  it("gives the wallboard the app_id, grid and service variables, and filters every query by app_id", () => {
    const wallboard = byUid("brightpattern-wallboard");
    expect(wallboard.templating.list.map((variable) => variable.name)).toEqual(["datasource", "app_id", "grid", "service"]);
    for (const query of panelQueries(wallboard)) expect(query.expr, query.where).toContain('app_id=~"$app_id"');
    expect(wallboard.refresh).toBe("5s");
  });

  it("colours every agent state on the wallboard (value mappings and the agents-by-state panel)", () => {
    const wallboard = byUid("brightpattern-wallboard");
    const states = ["ready", "not_ready", "busy", "after_call_work", "logged_out"];
    const text = JSON.stringify(allPanels(wallboard).filter((panel) => panel.title === "Agents" || panel.title === "Agents by state"));
    for (const state of states) expect(text, state).toContain(`"${state}"`);
  });

  it("highlights urgent chat messages: the whole row red when urgent is true", () => {
    const chat = allPanels(byUid("brightpattern-wallboard")).find((panel) => panel.title === "Latest chat messages");
    const overrides = (chat?.fieldConfig as { overrides: { matcher: { options: string }; properties: { id: string; value: unknown }[] }[] }).overrides;
    const urgent = overrides.find((override) => override.matcher.options === "Urgent")?.properties ?? [];
    expect(urgent).toContainEqual({ id: "custom.cellOptions", value: { type: "color-background", applyToRow: true } });
    expect(JSON.stringify(urgent.find((property) => property.id === "mappings"))).toContain('"true":{"text":"URGENT","color":"red"');
  });

  it("turns template variable queries into PromQL", () => {
    const wallboard = byUid("brightpattern-wallboard");
    expect(variableQueries(wallboard).map(({ label, promql }) => [label, promql])).toEqual([
      ["app_id", 'group by (app_id) ({__name__=~"brightpattern_.+", app_id!=""})'],
      ["grid", 'group by (grid) ({__name__=~"brightpattern_(service|agent)_.+", app_id=~".*"})'],
      ["service_name", 'group by (service_name) ({__name__=~"brightpattern_service_.+", app_id=~".*", grid=~".*"})'],
    ]);
  });
});

describe("substituteVariables", () => {
  it.each([
    ['up{job=~"$job"}', 'up{job=~".*"}'],
    ['rate(x{app_id=~"${app_id}"}[$__rate_interval])', 'rate(x{app_id=~".*"}[1m])'],
    ['x{app_id=~"${app_id:regex}"}', 'x{app_id=~".*"}'],
    ["no variables", "no variables"],
  ])("%s → %s", (expr, expected) => {
    expect(substituteVariables(expr)).toBe(expected);
  });

  it("throws on an unknown variable, naming it and the query", () => {
    expect(() => substituteVariables("x{a=~\"$nope\"}")).toThrow('unknown template variable $nope in: x{a=~"$nope"}');
  });
});
