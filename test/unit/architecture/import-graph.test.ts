// The layering of src/ as docs/architecture.md draws it, checked on the real import statements: data flows
// config → statsapi → metrics → poller/exposition → http → exporter → commands → cli, never back up.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../../src");

/** Each folder (or root file) and its layer; an import may only go to a lower layer or stay in its folder. */
const LAYERS: Record<string, number> = {
  "version.ts": 0,
  document: 0,
  config: 1,
  statsapi: 2,
  "logger.ts": 3,
  metrics: 3,
  "poller.ts": 4,
  exposition: 4,
  simulator: 4,
  http: 5,
  exporter: 6,
  commands: 7,
  "cli.ts": 8,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Relative imports resolved to files, and package imports by name (type-only imports excluded: they vanish at run time). */
function importsOf(file: string): { files: string[]; packages: string[] } {
  const text = readFileSync(file, "utf8");
  const files: string[] = [];
  const packages: string[] = [];
  for (const match of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm)) {
    if (match[1] !== undefined) continue;
    const spec = match[2]!;
    if (spec.startsWith(".")) files.push(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
    else packages.push(spec);
  }
  return { files, packages };
}

function unitOf(file: string): string {
  return relative(SRC, file).split("/")[0]!;
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((file) => [file, importsOf(file)]));

describe("src/ layout", () => {
  it("gives every folder and root file a layer, and keeps the root to a handful of files", () => {
    for (const file of files) expect(LAYERS, relative(SRC, file)).toHaveProperty([unitOf(file)]);
    expect(files.filter((file) => dirname(file) === SRC).length).toBeLessThanOrEqual(5);
  });

  it("has no import from a lower layer to a higher one, nor across folders of one layer", () => {
    const wrong: string[] = [];
    for (const [file, { files: targets }] of graph) {
      const from = unitOf(file);
      for (const target of targets) {
        const to = unitOf(target);
        if (from !== to && LAYERS[to]! >= LAYERS[from]!) wrong.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("has no import cycle", () => {
    const state = new Map<string, "open" | "done">();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => relative(SRC, f)).join(" → "));
        return;
      }
      state.set(file, "open");
      for (const target of graph.get(file)?.files ?? []) visit(target, [...trail, file]);
      state.set(file, "done");
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it("keeps undici, tough-cookie, express, pino, prom-client, zod and js-yaml out of the worker thread's module graph", () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const imports = graph.get(file);
      expect(imports, `${relative(SRC, file)} exists`).toBeDefined();
      for (const name of imports!.packages) packages.add(name);
      for (const target of imports!.files) walk(target);
    };
    walk(join(SRC, "exposition/worker-entry.ts"));
    expect([...seen].map((file) => relative(SRC, file))).toContain("statsapi/subscription-data.ts");
    for (const banned of ["undici", "tough-cookie", "express", "pino", "prom-client", "zod", "js-yaml"]) expect([...packages], banned).not.toContain(banned);
  });
});
