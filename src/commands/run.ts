import type { Logger } from "pino";
import { loadCheckedConfig } from "../checked-config.js";
import { type Exporter, startExporter } from "../exporter.js";

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

/** Resolves once the exporter has stopped after SIGTERM/SIGINT. A second signal exits at once. */
export function untilStopSignal(exporter: Pick<Exporter, "stop" | "reload">, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onStop = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, "second signal: exiting without clean-up");
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, "stopping");
      void exporter.stop().then(resolve);
    };
    // The listener stays while stopping: without one, a SIGHUP would kill the process mid clean-up.
    const onReload = () => {
      if (stopping) logger.info("SIGHUP while stopping: no reload");
      else void exporter.reload();
    };
    process.on("SIGTERM", onStop);
    process.on("SIGINT", onStop);
    process.on("SIGHUP", onReload);
  });
}
