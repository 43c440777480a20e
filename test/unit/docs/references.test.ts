// Docs describe the code as it is: every `src/...` path the README and docs/*.md name exists, and every
// exported name that docs/architecture.md gives for a folder or file is exported there.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");
const DOCS = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

function sourcePaths(text: string): string[] {
  return [...text.matchAll(/\bsrc\/[\w./-]*[\w/]/g)].map((m) => m[0]);
}

function filesUnder(path: string): string[] {
  const full = join(ROOT, path);
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => join(full, f));
}

function exportsOf(paths: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of paths.flatMap(filesUnder)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/^export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|class|const|let|interface|type)\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]!);
    // Methods of exported classes count as the class's contract (e.g. StatsApiClient's login).
    for (const m of text.matchAll(/^ {2}(?:async\s+)?([a-z][\w$]*)\(/gm)) names.add(m[1]!);
  }
  return names;
}

describe("docs match the code", () => {
  it.each(DOCS)("every src/ path in %s exists", (doc) => {
    const missing = sourcePaths(readFileSync(join(ROOT, doc), "utf8")).filter((path) => !existsSync(join(ROOT, path)));
    expect(missing).toEqual([]);
  });

  it("every name docs/architecture.md gives for a folder is exported there", () => {
    const text = readFileSync(join(ROOT, "docs/architecture.md"), "utf8");
    const rows = text.split("\n").filter((line) => line.startsWith("| `src/"));
    expect(rows.length).toBeGreaterThan(8);
    const unknown: string[] = [];
    for (const row of rows) {
      const [, place, , contract] = row.split(" | ").map((cell) => cell.trim());
      const paths = sourcePaths(place ?? "");
      const exported = exportsOf(paths);
      for (const [, name] of (contract ?? "").matchAll(/`([A-Za-z_$][\w$]*)`/g)) {
        if (!exported.has(name!)) unknown.push(`${paths.join(", ")}: ${name}`);
      }
    }
    expect(unknown).toEqual([]);
  });
});
