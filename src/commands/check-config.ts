import { loadCheckedConfigFile } from "../exporter/checked-config.js";
import { formatConfigWarnings } from "../config/errors.js";
import type { Config } from "../config/types.js";

function counts(configs: Config[]): string {
  const apps = configs.flatMap((config) => config.subscription.apps);
  const grids = apps.reduce((sum, app) => sum + app.service_grids.length + app.agent_grids.length, 0);
  return `${apps.length} app${apps.length === 1 ? "" : "s"}, ${grids} grid${grids === 1 ? "" : "s"}`;
}

/** Validates without starting anything. A ConfigError (exit 2) is reported by the CLI. */
export async function checkConfigCommand(options: { configPath: string }): Promise<number> {
  const checked = await loadCheckedConfigFile(options.configPath);
  const { warnings } = checked;
  if (warnings.length > 0) {
    process.stderr.write(`${formatConfigWarnings(warnings, options.configPath)}\n`);
  }
  const configs = checked.kind === "single" ? [checked.config] : checked.tenants.map((t) => t.checked.config);
  const tenants = checked.kind === "single" ? "" : `${configs.length} tenant${configs.length === 1 ? "" : "s"}, `;
  process.stdout.write(`${options.configPath}: valid (${tenants}${counts(configs)}, ${warnings.length} warning${warnings.length === 1 ? "" : "s"})\n`);
  return 0;
}
