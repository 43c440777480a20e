// `brightpattern-exporter simulate`: runs the simulator in the foreground until SIGINT/SIGTERM.
import { parseArgs } from "node:util";
import type { Logger } from "pino";
import { SIMULATOR_DEFAULTS, type Simulator, type SimulatorOptions, startSimulator } from "./server.js";

export type SimulateCommandOptions = Pick<SimulatorOptions, "host" | "port" | "agents" | "services" | "seed" | "sessionLogin">;

/** Parses `--port N [--host H] [--agents N] [--services N] [--seed N] [--session-login allowed|forbidden]`. */
export function parseSimulateArgs(argv: string[]): SimulateCommandOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      agents: { type: "string" },
      services: { type: "string" },
      seed: { type: "string" },
      "session-login": { type: "string" },
    },
  });
  const integer = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text)) throw new Error(`simulate --${name}: expected a non-negative integer, got ${JSON.stringify(text)}`);
    return Number(text);
  };
  const sessionLogin = values["session-login"];
  if (sessionLogin !== undefined && sessionLogin !== "allowed" && sessionLogin !== "forbidden") {
    throw new Error(`simulate --session-login: expected allowed or forbidden, got ${JSON.stringify(sessionLogin)}`);
  }
  const port = integer("port", values.port);
  if (port !== undefined && port > 65535) throw new Error(`simulate --port: expected 0..65535, got ${port}`);
  return {
    host: values.host,
    port,
    agents: integer("agents", values.agents),
    services: integer("services", values.services),
    seed: integer("seed", values.seed),
    sessionLogin,
  };
}

/**
 * Starts the simulator, logs where it listens and its (made-up, demo-only) credentials, and resolves once a
 * SIGINT/SIGTERM has closed it. `signals` is injectable for tests.
 */
export async function runSimulateCommand(
  options: SimulateCommandOptions,
  logger: Logger,
  signals: NodeJS.EventEmitter = process,
): Promise<void> {
  const simulator: Simulator = await startSimulator(options);
  const { tenantUrl, clientId, clientSecret, username, password } = SIMULATOR_DEFAULTS;
  const login = { tenant_url: tenantUrl, client_id: clientId, client_secret: clientSecret, username, password };
  logger.info({ url: simulator.url, agents: simulator.center.agents.length, services: simulator.center.services.length }, "simulator listening");
  // These are the simulator's fixed demo credentials, not secrets: printing them is the point.
  logger.info({ demoCredentials: login }, "simulator demo credentials (OAuth: client_id/client_secret, scope = tenant_url; session: username/password)");
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
