// `brightpattern-exporter simulate`: runs the simulator in the foreground until SIGINT/SIGTERM.
import type { Logger } from "pino";
import { SIMULATOR_DEFAULTS, type SimulatorOptions, startSimulator } from "../simulator/index.js";
import { type CliValues, UsageError, intOption } from "./options.js";
import { untilStopSignal } from "./stop-signals.js";

export type SimulateOptions = Pick<SimulatorOptions, "host" | "port" | "agents" | "services" | "seed" | "sessionLogin" | "tenants">;

export interface SimulateIo {
  /** Where SIGINT/SIGTERM arrive. Default: process. */
  signals?: NodeJS.EventEmitter;
  /** Where the how-to-connect text goes. Default: stdout. */
  print?: (text: string) => void;
}

export function simulateOptions(values: CliValues): SimulateOptions {
  const sessionLogin = values["session-login"];
  if (sessionLogin !== undefined && sessionLogin !== "allowed" && sessionLogin !== "forbidden") {
    throw new UsageError(`--session-login: expected allowed or forbidden, got "${sessionLogin}"`);
  }
  return {
    host: values.host ?? "127.0.0.1",
    port: intOption(values, "port", 8088),
    agents: intOption(values, "agents", 40, 1, 100_000),
    services: intOption(values, "services", 6, 1, 10_000),
    seed: intOption(values, "seed", 1, 0, 2 ** 31),
    tenants: intOption(values, "tenants", 0, 0, 10_000),
    sessionLogin,
  };
}

/**
 * Starts the simulator, prints where it listens and its fixed demo credentials (to stdout, not the log: the
 * logger rightly redacts secrets), and resolves once a SIGINT/SIGTERM has closed it.
 */
export async function simulateCommand(options: SimulateOptions, logger: Logger, io: SimulateIo = {}): Promise<number> {
  const print = io.print ?? ((text: string) => void process.stdout.write(text));
  const simulator = await startSimulator(options);
  logger.info({ url: simulator.url, agents: simulator.center.agents.length, services: simulator.center.services.length, tenants: simulator.tenants.length }, "simulator listening");
  print(connectionHelp(simulator.url, simulator.tenants));
  await untilStopSignal({ stop: () => simulator.close() }, logger, io.signals);
  return 0;
}

export function connectionHelp(url: string, tenants: readonly string[] = [SIMULATOR_DEFAULTS.tenantUrl]): string {
  const { clientId, clientSecret, username, password } = SIMULATOR_DEFAULTS;
  const tenantUrl = tenants[0] ?? SIMULATOR_DEFAULTS.tenantUrl;
  const session = JSON.stringify({ tenant_url: tenantUrl, username, password });
  const which = tenants.length === 1 ? `tenant ${tenantUrl}` : `${tenants.length} tenants: ${tenantUrl} … ${tenants.at(-1)}, each its own contact center`;
  return [
    `Bright Pattern Stats API simulator on ${url} (${which})`,
    `  OAuth:   POST ${url}/configapi/v2/oauth/token  grant_type=client_credentials client_id=${clientId} client_secret=${clientSecret} scope=${tenantUrl}`,
    `  Session: POST ${url}/statsapi/auth  ${session}`,
    "These are the simulator's fixed demo credentials. Ctrl+C stops it.",
    "",
  ].join("\n");
}
