// The package's command (`bin`) is run by path (`npx brightpattern-exporter`, the README's quick start), so
// the build must leave it executable: tsc writes new files without the x bit, and only a later `npm install`
// that links the bin would add it.
import { readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../../", import.meta.url);

describe("the package's command", () => {
  it("is built executable (npm ci runs the build through prepare)", () => {
    const { bin } = JSON.parse(readFileSync(new URL("package.json", ROOT), "utf8")) as { bin: Record<string, string> };
    for (const path of Object.values(bin)) expect(statSync(new URL(path, ROOT)).mode & 0o111, path).not.toBe(0);
  });
});
