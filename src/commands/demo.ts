import type { Logger } from "pino";
import { type CliValues, intOption } from "./options.js";
import { startDemo } from "../exporter/demo.js";
import { untilStopSignal } from "./stop-signals.js";

export async function demoCommand(options: { values: CliValues; logger: Logger }): Promise<number> {
  const { values, logger } = options;
  const demo = await startDemo({
    exporterPort: intOption(values, "port", 9737),
    simulatorPort: intOption(values, "simulator-port", 8088),
    interval: values.interval,
    logger,
  });
  process.stdout.write(
    `Simulator: ${demo.simulator.url}\nExporter:  ${demo.exporterUrl}/\nMetrics:   ${demo.metricsUrl}\nPress Ctrl+C to stop.\n`,
  );
  await untilStopSignal({ stop: demo.stop }, logger);
  return 0;
}
