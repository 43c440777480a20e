// The checks a config gets once parsed: its metric plan, per tenant, with the tenant's path on every issue.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfigFile } from "../../../src/config/load.js";
import { ConfigError } from "../../../src/config/errors.js";
import { checkConfigFile, loadCheckedConfigFile } from "../../../src/exporter/checked-config.js";
import { validTree } from "../../support/config-tree.js";
import { configDirs } from "../../support/tenants-dir.js";

const text = (tree: unknown) => JSON.stringify(tree, null, 2);
const configDir = configDirs();

/** The valid tree's upstream and subscription, with extra agent grid columns and totals. */
function parts(extra: { columns?: unknown[]; totals?: unknown[] } = {}): { upstream: unknown; subscription: Record<string, unknown> } {
  const { upstream, subscription } = validTree() as { upstream: unknown; subscription: { apps: Record<string, unknown>[] } };
  const app = subscription.apps[0]!;
  const grid = (app.agent_grids as { columns: unknown[] }[])[0]!;
  grid.columns.push(...(extra.columns ?? []));
  (app.stats_totals as unknown[]).push(...(extra.totals ?? []));
  return { upstream, subscription };
}

async function checkText(yaml: string, baseDir?: string) {
  return checkConfigFile(await parseConfigFile(yaml, { ...(baseDir === undefined ? {} : { baseDir }), fileName: "config.yaml" }), "config.yaml");
}

async function issuesOf(run: () => Promise<unknown>): Promise<{ path: string; message: string }[]> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("a label named like the tenant label, in a config with tenants", () => {
  const teamAsTenant = { id: "team", stat_name: "team_name", label: "tenant" };

  it.each([
    ["a grid's label column", { columns: [teamAsTenant] }, "subscription.apps[0].agent_grids[0].columns[2]"],
    ["a total of type label named tenant", { totals: [{ stat_name: "tenant", type: "label" }] }, "subscription.apps[0].stats_totals[1]"],
    ["a volatile label column (its own family)", { columns: [{ id: "why", stat_name: "reason", label: "tenant" }] }, "subscription.apps[0].agent_grids[0].columns[2]"],
  ])("is refused for %s in tenants:, naming the tenant's path and why", async (_what, extra, path) => {
    const issues = await issuesOf(() => checkText(text({ tenants: [{ name: "a", ...parts() }, { name: "b", ...parts(extra) }] })));
    expect(issues).toEqual([{ path: `tenants[1].${path}`, message: expect.stringMatching(/label "tenant" .*every series .*tenants/) }]);
  });

  it("is refused in a tenants_dir file, naming the file", async () => {
    const dir = configDir({ tenants_dir: "tenants.d" }, { "acme.yaml": text(parts({ columns: [teamAsTenant] })), "ok.yaml": text(parts()) });
    const issues = await issuesOf(() => loadCheckedConfigFile(join(dir, "config.yaml"), {}));
    expect(issues).toEqual([{ path: "tenants.d/acme.yaml: subscription.apps[0].agent_grids[0].columns[2]", message: expect.stringMatching(/label "tenant"/) }]);
  });

  it("stays accepted in a single-tenant config (no tenant label is added there)", async () => {
    const checked = await checkText(text(parts({ columns: [teamAsTenant], totals: [{ stat_name: "tenant", type: "label" }] })));
    expect(checked.kind).toBe("single");
  });
});

describe("a volatile label column (its own family) on a row label", () => {
  it("is refused like any label column (agent is already a label of every agent series)", async () => {
    const issues = await issuesOf(() => checkText(text(parts({ columns: [{ id: "why", stat_name: "reason", label: "agent" }] }))));
    expect(issues).toEqual([{ path: "subscription.apps[0].agent_grids[0].columns[2]", message: expect.stringMatching(/label "agent" is already a label of every agent series/) }]);
  });
});

describe("statistic-name warnings of a config with tenants", () => {
  const typo = { totals: ["in_max_wait_tim"] };
  const warning = (path: string) => ({ path, message: expect.stringContaining('unknown statistic "in_max_wait_tim" (did you mean in_max_wait_time?)') });

  async function failure(run: () => Promise<unknown>): Promise<ConfigError> {
    try {
      await run();
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error("expected a ConfigError");
  }

  it("name each tenant's path in a valid config (tenants: and tenants_dir)", async () => {
    const dir = configDir({ tenants: [{ name: "a", ...parts() }, { name: "b", ...parts(typo) }], tenants_dir: "tenants.d" }, { "acme.yaml": text(parts(typo)) });
    const checked = await loadCheckedConfigFile(join(dir, "config.yaml"), {});
    expect(checked.warnings).toEqual([warning("tenants[1].subscription.apps[0].stats_totals[1]"), warning("tenants.d/acme.yaml: subscription.apps[0].stats_totals[1]")]);
  });

  it("come with the errors of a config that does not validate, from every tenant's subscription", async () => {
    const dir = configDir(
      { poll: { interval: "soon" }, tenants: [{ name: "a", ...parts(typo) }], tenants_dir: "tenants.d" },
      { "acme.yaml": text(parts(typo)), "broken.yaml": text({ ...parts(typo), poll: { interval: "later" } }), ".hidden.yaml": text(parts(typo)) },
    );
    const error = await failure(() => loadCheckedConfigFile(join(dir, "config.yaml"), {}));
    expect(error.issues.map((issue) => issue.path)).toContain("poll.interval");
    expect(error.warnings).toEqual([
      warning("tenants[0].subscription.apps[0].stats_totals[1]"),
      warning("tenants.d/acme.yaml: subscription.apps[0].stats_totals[1]"),
      warning("tenants.d/broken.yaml: subscription.apps[0].stats_totals[1]"),
    ]);
  });

  it("come with the errors of a tenants_dir file that does not validate", async () => {
    const dir = configDir({ tenants_dir: "tenants.d" }, { "acme.yaml": text(parts(typo)), "broken.yaml": text({ ...parts(), poll: { interval: "later" } }) });
    const error = await failure(() => loadCheckedConfigFile(join(dir, "config.yaml"), {}));
    expect(error.issues).toEqual([{ path: "tenants.d/broken.yaml: poll.interval", message: expect.any(String) }]);
    expect(error.warnings).toEqual([warning("tenants.d/acme.yaml: subscription.apps[0].stats_totals[1]")]);
  });

  it("come with the errors of a tenant's plan", async () => {
    const error = await failure(() =>
      checkText(text({ tenants: [{ name: "a", ...parts({ ...typo, columns: [{ id: "team", stat_name: "team_name", label: "tenant" }] }) }] })),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual(["tenants[0].subscription.apps[0].agent_grids[0].columns[2]"]);
    expect(error.warnings).toEqual([warning("tenants[0].subscription.apps[0].stats_totals[1]")]);
  });
});
