// Loading a config file at its edges: tenant files, the order problems are listed in, the size bound,
// choosing a tenant, unreadable files.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CORE_SCHEMA, defineScalarTag } from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig, loadConfigFile, loadYaml, parseConfigFile, readTree, singleTenant } from "../../../src/config/load.js";
import type { ConfigFile } from "../../../src/config/types.js";
import { rejection } from "../../support/config-rejection.js";
import { validTree } from "../../support/config-tree.js";

function tenant(name: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { upstream, subscription } = validTree();
  return { ...(name === undefined ? {} : { name }), upstream, subscription, ...extra };
}
const text = (tree: unknown) => JSON.stringify(tree, null, 2);
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A config directory with config.yaml and a tenants.d/ of the given files (a value of null makes a directory). */
function configDir(config: unknown, files: Record<string, string | null>): string {
  const dir = mkdtempSync(join(tmpdir(), "bp-config-edges-"));
  dirs.push(dir);
  mkdirSync(join(dir, "tenants.d"));
  writeFileSync(join(dir, "config.yaml"), text(config));
  for (const [name, content] of Object.entries(files)) {
    if (content === null) mkdirSync(join(dir, "tenants.d", name));
    else writeFileSync(join(dir, "tenants.d", name), content);
  }
  return dir;
}
const tenantsOf = (file: ConfigFile) => (file.kind === "tenants" ? file.tenants : []);

describe("tenants_dir files", () => {
  it("one listed tenant and one file load together (no 'no tenant file' complaint)", async () => {
    const dir = configDir({ tenants: [tenant("listed")], tenants_dir: "tenants.d" }, { "b.yaml": text(tenant("b")) });
    const file = await loadConfigFile(join(dir, "config.yaml"), {});
    expect(tenantsOf(file).map((t) => t.name)).toEqual(["listed", "b"]);
  });

  it("names a tenant after its file without the .yaml or .yml ending, and reads no other endings", async () => {
    const dir = configDir({ tenants_dir: "tenants.d" }, {
      "c.yml": text(tenant(undefined)),
      "d.yaml": text(tenant(undefined)),
      "e.yaml.bak": "not: [valid",
      "f.yml.orig": "not: [valid",
    });
    const file = await loadConfigFile(join(dir, "config.yaml"), {});
    expect(tenantsOf(file).map((t) => [t.name, t.source])).toEqual([["c", "tenants.d/c.yml"], ["d", "tenants.d/d.yaml"]]);
  });

  it("refuses a file whose name is not a tenant name when it names no tenant itself (the name is the tenant label)", async () => {
    const dir = configDir({ tenants_dir: "tenants.d" }, { "acme corp.yaml": text(tenant(undefined)), "eu{1}.yml": text(tenant("eu-1")) });
    const error = await rejection(() => loadConfigFile(join(dir, "config.yaml"), {}));
    expect(error.issues).toEqual([
      {
        path: "tenants.d/acme corp.yaml",
        message: `the file name "acme corp" is not a tenant name (up to 128 letters, digits, '.', '_' or '-', starting with a letter or digit): rename the file or set name in it`,
      },
    ]);
  });

  it("drops only the last .yaml or .yml from a file name", async () => {
    const dir = configDir({ tenants_dir: "tenants.d" }, { "v2.yml.yaml": text(tenant(undefined)) });
    expect(tenantsOf(await loadConfigFile(join(dir, "config.yaml"), {})).map((t) => t.name)).toEqual(["v2.yml"]);
  });

  it("keeps tenants_dir in the loaded file (as written there), and a file without one has none", async () => {
    const dir = configDir({ tenants_dir: "tenants.d" }, { "a.yaml": text(tenant("a")) });
    const file = await loadConfigFile(join(dir, "config.yaml"), {});
    expect(file.kind === "tenants" && file.tenants_dir).toBe(join(dir, "tenants.d"));
    const listed = await parseConfigFile(text({ tenants: [tenant("a")] }));
    expect(listed.kind === "tenants" && "tenants_dir" in listed).toBe(false);
  });

  it("names sources with the directory as written, trailing slashes dropped", async () => {
    const dir = configDir({ tenants_dir: "./tenants.d//" }, { "a.yaml": text(tenant("a")) });
    const file = await loadConfigFile(join(dir, "config.yaml"), {});
    expect(tenantsOf(file).map((t) => t.source)).toEqual(["./tenants.d/a.yaml"]);
  });

  it("an entry that cannot be read as a file is a problem of that entry", async () => {
    const dir = configDir({ tenants_dir: "tenants.d" }, { "a.yaml": text(tenant("a")), "sub.yaml": null });
    const error = await rejection(() => loadConfigFile(join(dir, "config.yaml"), {}));
    expect(error.issues).toEqual([{ path: "tenants.d/sub.yaml", message: expect.stringMatching(/^cannot read: .*EISDIR/) }]);
  });

  it("a tenant file's problems read as those of tenants: (plain words, not zod's)", async () => {
    const { upstream } = validTree();
    const dir = configDir({ tenants_dir: "tenants.d" }, {
      "a.yaml": text({ name: "a", upstream, subscription: { apps: [{ app_id: "wb", stats_totals: [7] }] }, colour: "red" }),
    });
    const error = await rejection(() => loadConfigFile(join(dir, "config.yaml"), {}));
    expect(error.issues).toEqual([
      { path: "tenants.d/a.yaml: subscription.apps[0].stats_totals[0]", message: "expected a statistic name or { stat_name, type?, metric?, label?, percent_scale? }" },
      { path: "tenants.d/a.yaml: colour", message: "unknown key" },
    ]);
  });

  it("a file with a problem is not also checked as a tenant: no follow-on duplicate name", async () => {
    const broken = tenant("listed");
    (broken.upstream as Record<string, unknown>).tenant_url = "${NOT_SET}";
    // Valid to the schema, but a cross-field problem: the grid id twice.
    const twice = tenant("listed");
    const apps = (twice.subscription as { apps: { service_grids: unknown[] }[] }).apps;
    apps[0]!.service_grids.push(apps[0]!.service_grids[0]);
    const dir = configDir({ tenants: [tenant("listed")], tenants_dir: "tenants.d" }, { "a.yaml": text(broken), "b.yaml": text(twice) });
    const error = await rejection(() => loadConfigFile(join(dir, "config.yaml"), {}));
    expect(error.issues).toEqual([
      { path: "tenants.d/a.yaml: upstream.tenant_url", message: "environment variable NOT_SET is not set" },
      { path: "tenants.d/b.yaml: subscription.apps[0].service_grids[1].id", message: expect.stringContaining('duplicate grid id "services"') },
    ]);
  });

  it("a tenant file's problems use the plain messages (not zod's defaults)", async () => {
    const a = tenant("a");
    (a.upstream as Record<string, unknown>).tenant_url = 5;
    const dir = configDir({ tenants_dir: "tenants.d" }, { "a.yaml": text(a) });
    const error = await rejection(() => loadConfigFile(join(dir, "config.yaml"), {}));
    expect(error.issues).toEqual([{ path: "tenants.d/a.yaml: upstream.tenant_url", message: "expected a string, got a number" }]);
  });
});

describe("a poll override's problem", () => {
  it("is the tenant's own: said without naming the file's settings", async () => {
    const error = await rejection(() => parseConfigFile(text({ poll: { interval: "5s" }, tenants: [tenant("a", { poll: { stale_after: "2s" } })] })));
    expect(error.issues).toEqual([{ path: "tenants[0].poll.stale_after", message: "must be greater than poll.interval" }]);
  });

  it("comes from the file's value: said so", async () => {
    const error = await rejection(() => parseConfigFile(text({ tenants: [tenant("a", { poll: { interval: "40s" } })] })));
    expect(error.issues).toEqual([
      { path: "tenants[0].poll.stale_after", message: "must be greater than poll.interval (this tenant's poll.interval with the file's poll.stale_after)" },
    ]);
  });
});

describe("the order problems are listed in", () => {
  it("follows the sections as a config is laid out (upstream, poll, web, metrics, subscription), unknown keys last", async () => {
    const tree = validTree();
    const yaml = text({
      zzz: "${Z}",
      subscription: { apps: [{ ...(tree.subscription as { apps: Record<string, unknown>[] }).apps[0], app_id: "${S}" }] },
      metrics: { namespace: "${M}" },
      web: { listen_address: "${W}" },
      poll: { interval: "${P}" },
      upstream: { ...(tree.upstream as Record<string, unknown>), tenant_url: "${U}" },
    });
    const error = await rejection(() => parseConfigFile(yaml));
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "upstream.tenant_url",
      "poll.interval",
      "web.listen_address",
      "metrics.namespace",
      "subscription.apps[0].app_id",
      "zzz",
    ]);
  });

  it("puts tenants before tenants_dir, and both before unknown keys", async () => {
    const a = tenant("a");
    (a.upstream as Record<string, unknown>).tenant_url = "${T}";
    const error = await rejection(() => parseConfigFile(text({ zzz: "${Z}", tenants_dir: "${D}", tenants: [a], web: { listen_address: "${W}" } })));
    expect(error.issues.map((issue) => issue.path)).toEqual(["web.listen_address", "tenants[0].upstream.tenant_url", "tenants_dir", "zzz"]);
  });

  it("keeps the order they were found in within one section", async () => {
    const tree = validTree();
    const upstream = { ...(tree.upstream as Record<string, unknown>), url: "${A}", tenant_url: "${B}", timeout: "${C}", column_key: "${D}" };
    const error = await rejection(() => parseConfigFile(text({ ...tree, upstream })));
    expect(error.issues.map((issue) => issue.path)).toEqual(["upstream.url", "upstream.tenant_url", "upstream.timeout", "upstream.column_key"]);
  });
});

describe("the top level and the size bound", () => {
  it("refuses a document that is null", async () => {
    const error = await rejection(() => parseConfigFile("null\n"));
    expect(error.issues).toEqual([{ path: "", message: "expected a mapping at the top level, got null" }]);
  });

  it("reads null values inside the tree", () => {
    expect(readTree("a: ~\nb: [null]\n", {}, undefined)).toEqual({ tree: { a: null, b: [null] }, envIssues: [] });
  });

  // Values counted: the top-level mapping, the list, and its items.
  const listOf = (items: number) => `x: [${Array.from({ length: items }, () => "0").join(",")}]\n`;
  it("takes exactly 100000 values and refuses one more", () => {
    expect("tree" in readTree(listOf(99_998), {}, undefined)).toBe(true);
    expect(readTree(listOf(99_999), {}, undefined)).toEqual({ issues: [{ path: "", message: "more than 100000 values once aliases (*name) are expanded" }] });
  });

  it("counts a string as one value, not one per character", () => {
    const long = "y".repeat(200_000);
    expect("tree" in readTree(`a: ${long}\n`, {}, undefined)).toBe(true);
  });
});

describe("YAML errors that are not syntax errors", () => {
  it("are reported as YAML errors with their message", () => {
    const failing = defineScalarTag("!fail", {
      resolve: () => {
        throw new Error("no such thing");
      },
      identify: () => false,
    });
    expect(loadYaml("a: !fail x\n", CORE_SCHEMA.withTags(failing))).toEqual({ issue: { path: "", message: "YAML error: no such thing" } });
  });
});

describe("choosing a tenant", () => {
  it("gives the named tenant's settings", async () => {
    const b = tenant("b");
    (b.upstream as Record<string, unknown>).tenant_url = "b.example.com";
    const file = await parseConfigFile(text({ tenants: [tenant("a"), b] }));
    expect(singleTenant(file, "config.yaml", "b").upstream.tenant_url).toBe("b.example.com");
    const dir = configDir({ tenants: [tenant("a"), b] }, {});
    expect((await loadConfig(join(dir, "config.yaml"), {}, "b")).upstream.tenant_url).toBe("b.example.com");
  });

  it("refuses an unknown name, listing the tenants", async () => {
    const file = await parseConfigFile(text({ tenants: [tenant("a"), tenant("b")] }));
    expect(() => singleTenant(file, "config.yaml", "c")).toThrow("this config has tenants (a, b): choose one with --tenant NAME");
  });
});

describe("a config file that cannot be read", () => {
  it("says which (the full path) and why", async () => {
    const error = await rejection(() => loadConfigFile("no/such/config.yaml", {}));
    expect(error.issues).toEqual([{ path: "", message: expect.stringMatching(new RegExp(`^cannot read config file ${resolve("no/such/config.yaml")}: .*ENOENT`)) }]);
  });
});
