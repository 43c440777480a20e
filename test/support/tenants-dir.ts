// Config directories for tests of tenants_dir: config.yaml next to a tenants.d/ of the given files.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/** Call at a test file's top level: a maker of config directories, all removed after the file's tests. */
export function configDirs(): (config: unknown, files: Record<string, string>) => string {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  return (config, files) => {
    const dir = mkdtempSync(join(tmpdir(), "bp-tenants-"));
    dirs.push(dir);
    mkdirSync(join(dir, "tenants.d"));
    writeFileSync(join(dir, "config.yaml"), JSON.stringify(config, null, 2));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, "tenants.d", name), content);
    return dir;
  };
}
