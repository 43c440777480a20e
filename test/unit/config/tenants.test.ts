import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfigFile, parseConfig, parseConfigFile } from "../../../src/config/load.js";
import type { ConfigFile } from "../../../src/config/types.js";
import { rejection } from "../../support/config-rejection.js";
import { SECRET, configText, validTree } from "../../support/config-tree.js";
import { configDirs } from "../../support/tenants-dir.js";

/** A tenant entry: the valid tree's upstream and subscription under a name. */
function tenant(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { upstream, subscription } = validTree();
  return { name, upstream, subscription, ...extra };
}

const text = (tree: unknown) => JSON.stringify(tree, null, 2);
const configDir = configDirs();

function tenantsOf(file: ConfigFile) {
  if (file.kind !== "tenants") throw new Error("expected the tenants form");
  return file.tenants;
}

describe("the single-tenant form", () => {
  it("stays as it was: kind single, the same Config", async () => {
    const file = await parseConfigFile(configText());
    expect(file.kind).toBe("single");
    expect(file.kind === "single" && file.config).toEqual(await parseConfig(configText()));
  });
});

describe("tenants:", () => {
  it("gives each tenant its own upstream and subscription, the file's poll with its overrides, web and metrics", async () => {
    const b = tenant("b", { poll: { interval: "10s", stale_after: "60s" } });
    (b.upstream as Record<string, unknown>).tenant_url = "b.example.com";
    const file = await parseConfigFile(text({ poll: { interval: "5s" }, metrics: { namespace: "bp" }, tenants: [tenant("a"), b] }));
    const [a, bb] = tenantsOf(file);
    expect(a!.name).toBe("a");
    expect(a!.source).toBe("tenants[0]");
    expect(a!.config.poll).toEqual({ interval_ms: 5_000, max_backoff_ms: 60_000, stale_after_ms: 30_000 });
    expect(bb!.config.poll).toEqual({ interval_ms: 10_000, max_backoff_ms: 60_000, stale_after_ms: 60_000 });
    expect(bb!.config.upstream.tenant_url).toBe("b.example.com");
    expect(bb!.config.metrics.namespace).toBe("bp");
    expect(a!.config.subscription.apps[0]!.app_id).toBe("wb");
  });

  it("is refused by commands that talk to one upstream, naming the tenants", async () => {
    const error = await rejection(() => parseConfig(text({ tenants: [tenant("a"), tenant("b")] })));
    expect(error.issues).toEqual([{ path: "tenants", message: "this config has tenants (a, b): choose one with --tenant NAME" }]);
  });
});

describe("broken tenants", () => {
  const cases: { name: string; tree: unknown; path: string; message: string }[] = [
    { name: "upstream next to tenants", tree: { ...validTree(), tenants: [tenant("a")] }, path: "upstream", message: "not allowed next to tenants or tenants_dir" },
    { name: "an empty list", tree: { tenants: [] }, path: "tenants", message: "expected at least one tenant" },
    { name: "a tenant without a name", tree: { tenants: [tenant("a"), { ...tenant("x"), name: undefined }] }, path: "tenants[1].name", message: "required" },
    { name: "a name with a space", tree: { tenants: [tenant("acme corp")] }, path: "tenants[0].name", message: "expected a tenant name" },
    { name: "a duplicate name", tree: { tenants: [tenant("a"), tenant("a")] }, path: "tenants[1].name", message: 'duplicate tenant name "a" (already used by tenants[0])' },
    { name: "a tenant's secret missing", tree: { tenants: [tenant("a"), tenant("b", { upstream: { url: "https://x", tenant_url: "x", auth: { client_id: "c" } } })] }, path: "tenants[1].upstream.auth.client_secret", message: "required: set client_secret or client_secret_file" },
    { name: "a tenant's grid without a key", tree: { tenants: [tenant("a", { subscription: { apps: [{ app_id: "x", agent_grids: [{ id: "g", columns: [{ id: "s", stat_name: "acd_state" }] }] }] } })] }, path: "tenants[0].subscription.apps[0].agent_grids[0].key", message: "no column identifies a row" },
    { name: "an unknown key in a tenant", tree: { tenants: [tenant("a", { namespace: "x" })] }, path: "tenants[0].namespace", message: "unknown key" },
    { name: "a poll override below 100ms", tree: { tenants: [tenant("a", { poll: { interval: "50ms" } })] }, path: "tenants[0].poll.interval", message: "must be at least 100ms" },
    { name: "an override that breaks the file's stale_after", tree: { tenants: [tenant("a", { poll: { interval: "40s" } })] }, path: "tenants[0].poll.stale_after", message: "must be greater than poll.interval (this tenant's poll.interval with the file's poll.stale_after)" },
    { name: "a poll override key unknown", tree: { tenants: [tenant("a", { poll: { every: "5s" } })] }, path: "tenants[0].poll.every", message: "unknown key" },
  ];

  it.each(cases)("$name: $path", async ({ tree, path, message }) => {
    const error = await rejection(() => parseConfigFile(text(tree)));
    expect(error.issues.map((issue) => issue.path)).toContain(path);
    expect(error.issues.find((issue) => issue.path === path)!.message).toContain(message);
    expect(error.message).not.toContain(SECRET);
  });

  it("lists the problems of every tenant at once", async () => {
    const error = await rejection(() => parseConfigFile(text({ tenants: [tenant("a", { poll: { interval: "1ms" } }), tenant("b b")] })));
    expect(error.issues.map((issue) => issue.path)).toEqual(["tenants[0].poll.interval", "tenants[1].name"]);
  });
});

describe("tenants_dir:", () => {
  const yaml = (name: string | undefined, extra: Record<string, unknown> = {}) => text({ ...tenant(name ?? "x", extra), ...(name === undefined ? { name: undefined } : {}) });

  it("reads one tenant a file, named by the file unless it says otherwise, after the tenants: list, skipping hidden files", async () => {
    const dir = configDir({ tenants_dir: "tenants.d", tenants: [tenant("listed")] }, {
      "b.yaml": yaml(undefined),
      "a.yml": yaml("alpha"),
      ".hidden.yaml": "not: [valid",
      "README.md": "# ignored",
    });
    const tenants = tenantsOf(await loadConfigFile(join(dir, "config.yaml"), {}));
    expect(tenants.map((t) => [t.name, t.source])).toEqual([["listed", "tenants[0]"], ["alpha", "tenants.d/a.yml"], ["b", "tenants.d/b.yaml"]]);
  });

  it("resolves a tenant file's *_file paths against tenants_dir", async () => {
    const dir = configDir({ tenants_dir: "tenants.d" }, { "a.yaml": yaml("a", { upstream: { url: "https://x", tenant_url: "x", auth: { client_id: "c", client_secret_file: "a.secret" } } }) });
    writeFileSync(join(dir, "tenants.d", "a.secret"), `${SECRET}\n`);
    const [a] = tenantsOf(await loadConfigFile(join(dir, "config.yaml"), {}));
    expect(a!.config.upstream.auth).toMatchObject({ client_secret: SECRET });
  });

  it("names the file in every problem, with the path inside it", async () => {
    const dir = configDir({ tenants_dir: "tenants.d/", tenants: [tenant("a")] }, {
      "a.yaml": yaml("a"),
      "broken.yaml": "upstream: [",
      "list.yaml": "- 1",
      "bad.yaml": yaml("bad", { poll: { interval: "1ms" } }),
      "env.yaml": yaml("env", { upstream: { url: "https://x", tenant_url: "${NOPE}", auth: { client_id: "c", client_secret: "s" } } }),
    });
    const error = await rejection(() => loadConfigFile(join(dir, "config.yaml"), {}));
    expect(error.issues).toEqual([
      { path: "tenants.d/bad.yaml: poll.interval", message: "must be at least 100ms" },
      { path: "tenants.d/broken.yaml", message: expect.stringContaining("YAML syntax error at line 1") },
      { path: "tenants.d/env.yaml: upstream.tenant_url", message: "environment variable NOPE is not set" },
      { path: "tenants.d/list.yaml", message: "expected a mapping at the top level, got a list" },
      { path: "tenants.d/a.yaml: name", message: 'duplicate tenant name "a" (already used by tenants[0])' },
    ]);
    expect(error.message).toContain("config.yaml: tenants.d/bad.yaml: poll.interval: must be at least 100ms");
  });

  it("refuses a missing or empty directory", async () => {
    const missing = configDir({ tenants_dir: "nowhere" }, {});
    expect((await rejection(() => loadConfigFile(join(missing, "config.yaml"), {}))).issues).toEqual([
      { path: "tenants_dir", message: expect.stringContaining("ENOENT") },
    ]);
    const empty = configDir({ tenants_dir: "tenants.d" }, { "notes.txt": "x" });
    expect((await rejection(() => loadConfigFile(join(empty, "config.yaml"), {}))).issues).toEqual([
      { path: "tenants_dir", message: expect.stringContaining("no tenant file (*.yaml, *.yml) in") },
    ]);
  });
});
