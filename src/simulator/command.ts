// `brightpattern-exporter simulate`: runs the simulator in the foreground until SIGINT/SIGTERM.
import type { Logger } from "pino";
import { SIMULATOR_DEFAULTS, type Simulator, type SimulatorOptions, startSimulator } from "./server.js";

export type SimulateCommandOptions = Pick<SimulatorOptions, "host" | "port" | "agents" | "services" | "seed" | "sessionLogin">;

export interface SimulateCommandIo {
  /** Where SIGINT/SIGTERM arrive. Default: process. */
  signals?: NodeJS.EventEmitter;
  /** Where the how-to-connect text goes. Default: stdout. */
  print?: (text: string) => void;
}

/**
 * Starts the simulator, prints where it listens and its fixed demo credentials (to stdout, not the log: the
 * logger rightly redacts secrets), and resolves once a SIGINT/SIGTERM has closed it.
 */
export async function runSimulateCommand(options: SimulateCommandOptions, logger: Logger, io: SimulateCommandIo = {}): Promise<void> {
  const signals = io.signals ?? process;
  const print = io.print ?? ((text: string) => void process.stdout.write(text));
  const simulator: Simulator = await startSimulator(options);
  logger.info({ url: simulator.url, agents: simulator.center.agents.length, services: simulator.center.services.length }, "simulator listening");
  print(connectionHelp(simulator.url));
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      signals.off("SIGINT", onInt);
      signals.off("SIGTERM", onTerm);
      logger.info({ signal }, "simulator stopping");
      void simulator.close().then(resolve);
    };
    const onInt = () => stop("SIGINT");
    const onTerm = () => stop("SIGTERM");
    signals.on("SIGINT", onInt);
    signals.on("SIGTERM", onTerm);
  });
}

export function connectionHelp(url: string): string {
  const { tenantUrl, clientId, clientSecret, username, password } = SIMULATOR_DEFAULTS;
  const session = JSON.stringify({ tenant_url: tenantUrl, username, password });
  return [
    `Bright Pattern Stats API simulator on ${url} (tenant ${tenantUrl})`,
    `  OAuth:   POST ${url}/configapi/v2/oauth/token  grant_type=client_credentials client_id=${clientId} client_secret=${clientSecret} scope=${tenantUrl}`,
    `  Session: POST ${url}/statsapi/auth  ${session}`,
    "These are the simulator's fixed demo credentials. Ctrl+C stops it.",
    "",
  ].join("\n");
}
