import { loadCheckedConfig } from "../exporter/checked-config.js";
import { formatConfigWarnings } from "../config/errors.js";

/** Validates without starting anything. A ConfigError (exit 2) is reported by the CLI. */
export async function checkConfigCommand(options: { configPath: string }): Promise<number> {
  const { config, warnings } = await loadCheckedConfig(options.configPath);
  if (warnings.length > 0) {
    process.stderr.write(`${formatConfigWarnings(warnings, options.configPath)}\n`);
  }
  const apps = config.subscription.apps;
  const grids = apps.reduce((sum, app) => sum + app.service_grids.length + app.agent_grids.length, 0);
  process.stdout.write(`${options.configPath}: valid (${apps.length} app${apps.length === 1 ? "" : "s"}, ${grids} grid${grids === 1 ? "" : "s"}, ${warnings.length} warning${warnings.length === 1 ? "" : "s"})\n`);
  return 0;
}
