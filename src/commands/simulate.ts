import type { Logger } from "pino";
import { type CliValues, UsageError, intOption } from "../cli-options.js";
import { runSimulateCommand } from "../simulator/index.js";

export async function simulateCommand(options: { values: CliValues; logger: Logger }): Promise<number> {
  const { values } = options;
  const sessionLogin = values["session-login"];
  if (sessionLogin !== undefined && sessionLogin !== "allowed" && sessionLogin !== "forbidden") {
    throw new UsageError(`--session-login: expected allowed or forbidden, got "${sessionLogin}"`);
  }
  await runSimulateCommand(
    {
      host: values.host ?? "127.0.0.1",
      port: intOption(values, "port", 8088),
      agents: intOption(values, "agents", 40, 1, 100_000),
      services: intOption(values, "services", 6, 1, 10_000),
      seed: intOption(values, "seed", 1, 0, 2 ** 31),
      sessionLogin,
    },
    options.logger,
  );
  return 0;
}
