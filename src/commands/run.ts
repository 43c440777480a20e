import type { Logger } from "pino";
import { loadCheckedConfig } from "../exporter/checked-config.js";
import { startExporter } from "../exporter/exporter.js";
import { untilStopSignal } from "./stop-signals.js";

/** Runs until SIGTERM or SIGINT; SIGHUP reloads the config. */
export async function runCommand(options: { configPath: string; listen: string | undefined; logger: Logger }): Promise<number> {
  const { logger } = options;
  const checked = await loadCheckedConfig(options.configPath);
  for (const warning of checked.warnings) logger.warn({ path: warning.path }, warning.message);
  const exporter = await startExporter({ ...checked, configPath: options.configPath, logger, listenAddress: options.listen });
  logger.info({ url: exporter.url, upstream: checked.config.upstream.url }, "exporter started");
  await untilStopSignal(exporter, logger);
  return 0;
}
