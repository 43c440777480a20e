// The Node versions package.json promises are the ones the locked packages accept: `engines` (running the
// exporter) for the production dependencies, `devEngines` (npm ci, the tests, the demo from the sources)
// for everything. A dependency update that needs a newer Node fails here, not on a user's `npm ci`.
import { readFileSync } from "node:fs";
import { minVersion, satisfies } from "semver";
import { describe, expect, it } from "vitest";

interface Locked {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  engines?: { node?: string } | string[];
}

const ROOT = new URL("../../../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", ROOT), "utf8")) as {
  engines: { node: string };
  devEngines: { runtime: { name: string; version: string } };
};
const lock = JSON.parse(readFileSync(new URL("package-lock.json", ROOT), "utf8")) as { packages: Record<string, Locked> };

/** The lowest version of each major in a range like "^20.19.0 || ^22.13.0 || >=24". */
function lowestVersions(range: string): string[] {
  return range.split("||").map((part) => minVersion(part.trim())?.version ?? part);
}

function refusing(node: string, include: (entry: Locked) => boolean): string[] {
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== "" && include(entry))
    .filter(([, entry]) => !Array.isArray(entry.engines) && entry.engines?.node !== undefined && !satisfies(node, entry.engines.node))
    .map(([path, entry]) => `${path.replace(/^.*node_modules\//, "")}@${entry.version ?? "?"} wants node ${(entry.engines as { node: string }).node}`);
}

describe("the Node versions package.json promises", () => {
  it.each(lowestVersions(pkg.engines.node))("engines: every production dependency runs on Node %s", (node) => {
    expect(refusing(node, (entry) => entry.dev !== true)).toEqual([]);
  });

  it.each(lowestVersions(pkg.devEngines.runtime.version))("devEngines: every locked package installs without engine warnings on Node %s", (node) => {
    expect(refusing(node, () => true)).toEqual([]);
  });

  it("devEngines is within engines (the tools run where the exporter runs)", () => {
    expect(pkg.devEngines.runtime.name).toBe("node");
    for (const node of lowestVersions(pkg.devEngines.runtime.version)) expect(satisfies(node, pkg.engines.node)).toBe(true);
  });
});
