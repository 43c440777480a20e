#!/usr/bin/env node
// Entry point: parses flags, picks the sub-command, and maps outcomes to exit codes
// (0 ok, 1 runtime failure, 2 bad config or bad usage). The sub-commands live in src/commands/.
import type { LevelWithSilent, Logger } from "pino";
import { checkConfigCommand } from "./commands/check-config.js";
import { demoCommand } from "./commands/demo.js";
import { discoverCommand, dispositionsCommand } from "./commands/discover.js";
import { runCommand, shardOption } from "./commands/run.js";
import { hashPasswordCommand } from "./commands/hash-password.js";
import { simulateCommand, simulateOptions } from "./commands/simulate.js";
import { type CliValues, UsageError, parseCli } from "./commands/options.js";
import { portInUseMessage } from "./commands/port-in-use.js";
import { ConfigError } from "./config/errors.js";
import { LOG_LEVELS, type LogFormat, createLogger, safeError } from "./logger.js";
import { VERSION } from "./version.js";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

const USAGE = `Usage: brightpattern-exporter [command] [options]

Commands:
  run             Run the exporter (the default)
  check-config    Validate a config file and exit (0 valid, 2 invalid)
  dispositions    Print the dispositions of the supervised services
  discover        Print the supervised teams, services and agents with their ids
  simulate        Run the built-in Stats API simulator alone
  demo            Run the simulator and the exporter together on loopback
  hash-password   Read a password from stdin, print its bcrypt hash (web config basic_auth_users)

Options:
  -c, --config PATH        Config file (default: config.yaml; check-config also takes it as an argument)
      --listen ADDRESS     Override web.listen_address (run)
      --shard INDEX/COUNT  With tenants: poll only this replica's share (run; also BRIGHTPATTERN_EXPORTER_SHARD);
                           INDEX may be "hostname" or a StatefulSet pod name: its ordinal
      --log-level LEVEL    ${LOG_LEVELS.join("|")} (default: info)
      --log-format FORMAT  json|pretty (default: json)
  -v, --version            Print the version
  -h, --help               Print this help

discover, dispositions: --tenant NAME (a config with tenants: which one)
dispositions:  --agent-can-select --inbound --outbound --preview (filters of the API)
simulate:      --host H (127.0.0.1) --port N (8088) --agents N --services N --seed N --session-login allowed|forbidden
               --tenants N (0: one tenant; N: tenant-01.demo.brightpattern.local …, the tenant from the OAuth scope or tenant_url)
demo:          --port N (9737) --simulator-port N (8088) --interval DURATION (1s)
hash-password: --cost N (10)
`;

function loggerFrom(values: CliValues): Logger {
  const level = values["log-level"] as LevelWithSilent;
  const format = values["log-format"] as LogFormat;
  if (!LOG_LEVELS.includes(level)) throw new UsageError(`--log-level: expected one of ${LOG_LEVELS.join(", ")}, got "${level}"`);
  if (format !== "json" && format !== "pretty") throw new UsageError(`--log-format: expected json or pretty, got "${format}"`);
  return createLogger({ level, format });
}

/** A bug must not go unnoticed or half-alive: log it (name and message only, never request data) and exit 1. */
function exitOnCrash(logger: Logger): void {
  const crash = (error: unknown) => {
    logger.fatal({ err: safeError(error) }, "crashed: this is a bug, please report it");
    setTimeout(() => process.exit(EXIT_FAILURE), 1_000).unref();
    logger.flush(() => process.exit(EXIT_FAILURE));
  };
  process.on("uncaughtException", crash);
  process.on("unhandledRejection", crash);
}

export async function main(argv: string[]): Promise<number> {
  let command = "run";
  try {
    const { values, positionals } = parseCli(argv);
    if (values.help) {
      process.stdout.write(USAGE);
      return EXIT_OK;
    }
    if (values.version) {
      process.stdout.write(`brightpattern-exporter ${VERSION}\n`);
      return EXIT_OK;
    }
    const [first = "run", ...rest] = positionals;
    command = first;
    const logger = loggerFrom(values);
    exitOnCrash(logger);
    const configPath = values.config ?? (command === "check-config" ? rest[0] : undefined) ?? "config.yaml";
    if (rest.length > (command === "check-config" && values.config === undefined ? 1 : 0)) {
      throw new UsageError(`unexpected argument "${rest.at(-1)}"`);
    }
    switch (command) {
      case "run":
        return await runCommand({ configPath, listen: values.listen, shard: shardOption(values.shard), logger });
      case "check-config":
        return await checkConfigCommand({ configPath });
      case "dispositions":
        return await dispositionsCommand({ configPath, logger, values, ...(values.tenant !== undefined && { tenant: values.tenant }) });
      case "discover":
        return await discoverCommand({ configPath, logger, ...(values.tenant !== undefined && { tenant: values.tenant }) });
      case "simulate":
        return await simulateCommand(simulateOptions(values), logger);
      case "demo":
        return await demoCommand({ values, logger });
      case "hash-password":
        return await hashPasswordCommand(values);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`brightpattern-exporter: ${error.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    const message = portInUseMessage(command, error) ?? (error instanceof Error ? error.message : String(error));
    process.stderr.write(`brightpattern-exporter: ${message}\n`);
    return EXIT_FAILURE;
  }
}

process.exitCode = await main(process.argv.slice(2));
