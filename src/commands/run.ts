import { hostname } from "node:os";
import type { Logger } from "pino";
import { loadCheckedConfigFile } from "../exporter/checked-config.js";
import { startExporter } from "../exporter/exporter.js";
import { SHARD_ENV, type Shard, parseShard } from "../exporter/shard.js";
import { UsageError } from "./options.js";
import { untilStopSignal } from "./stop-signals.js";

/** --shard, else the environment variable; undefined: this replica polls every tenant. */
export function shardOption(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, host: string = hostname()): Shard | undefined {
  const [text, source] = flag !== undefined ? [flag, "--shard"] : [env[SHARD_ENV], SHARD_ENV];
  if (text === undefined || text === "") return undefined;
  const parsed = parseShard(text, host);
  if ("error" in parsed) throw new UsageError(`${source}: ${parsed.error}`);
  return parsed.shard;
}

/** Runs until SIGTERM or SIGINT; SIGHUP reloads the config. */
export async function runCommand(options: { configPath: string; listen: string | undefined; shard?: Shard; logger: Logger }): Promise<number> {
  const { logger } = options;
  const checked = await loadCheckedConfigFile(options.configPath);
  for (const warning of checked.warnings) logger.warn({ path: warning.path }, warning.message);
  const exporter = await startExporter({
    ...checked,
    configPath: options.configPath,
    logger,
    listenAddress: options.listen,
    ...(options.shard && { shard: options.shard }),
  });
  const upstream = checked.kind === "single" ? { upstream: checked.config.upstream.url } : { tenants: checked.tenants.length };
  logger.info({ url: exporter.url, ...upstream }, "exporter started");
  await untilStopSignal(exporter, logger);
  return 0;
}
