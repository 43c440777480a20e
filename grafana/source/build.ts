// Writes grafana/dashboards/*.json from this folder's TypeScript, so thresholds, units, colours and
// "No value" texts are decided once (panels.ts, thresholds.ts). A unit test fails when the JSON and
// the source disagree.
//   npm run grafana:dashboards
import { writeFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { exporterHealth } from "./exporter-health.js";
import type { Json } from "./panels.js";
import { deskDashboard } from "./wallboard-desk.js";
import { tvWallboard } from "./wallboard-tv.js";

export const DASHBOARDS_DIR = fileURLToPath(new URL("../dashboards/", import.meta.url));

/** File name → dashboard. */
export function dashboards(): Record<string, Json> {
  return {
    "brightpattern-wallboard.json": tvWallboard(),
    "brightpattern-desk.json": deskDashboard(),
    "brightpattern-exporter-health.json": exporterHealth(),
  };
}

export const render = (dashboard: Json): string => `${JSON.stringify(dashboard, null, 2)}\n`;

async function main(): Promise<void> {
  for (const [file, dashboard] of Object.entries(dashboards())) {
    await writeFile(`${DASHBOARDS_DIR}${file}`, render(dashboard));
    process.stdout.write(`wrote grafana/dashboards/${file}\n`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
