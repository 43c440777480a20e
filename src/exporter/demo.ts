// The simulator and the exporter together on loopback, configured by config.example.yaml:
// what `npm run demo` runs, and what the e2e tests and benchmarks start in-process.
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { pino } from "pino";
import { checkConfig } from "./checked-config.js";
import { parseDuration } from "../config/duration.js";
import { loadConfig } from "../config/load.js";
import type { Config } from "../config/types.js";
import { type Exporter, startExporter } from "./exporter.js";
import { type Simulator, type SimulatorOptions, startSimulator } from "../simulator/index.js";

export const EXAMPLE_CONFIG_PATH = fileURLToPath(new URL("../../config.example.yaml", import.meta.url));
/** The simulator's default OAuth secret, which config.example.yaml takes from ${BP_CLIENT_SECRET}. */
const DEMO_CLIENT_SECRET = "demo-secret";

export interface DemoOptions {
  host?: string;
  exporterPort?: number;
  simulatorPort?: number;
  /** Poll interval, e.g. "1s". */
  interval?: string;
  simulator?: Omit<SimulatorOptions, "host" | "port">;
  logger?: Logger;
}

export interface Demo {
  exporterUrl: string;
  metricsUrl: string;
  simulator: Simulator;
  exporter: Exporter;
  config: Config;
  stop(): Promise<void>;
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const host = options.host ?? "127.0.0.1";
  const logger = options.logger ?? pino({ level: "silent" });
  const simulator = await startSimulator({ ...options.simulator, host, port: options.simulatorPort ?? 0 });
  try {
    const loaded = await loadConfig(EXAMPLE_CONFIG_PATH, { ...process.env, BP_CLIENT_SECRET: DEMO_CLIENT_SECRET });
    const interval = parseDuration(options.interval ?? "1s");
    if (interval === undefined) throw new Error(`--interval "${options.interval}": expected a duration like "1s"`);
    const config: Config = {
      ...loaded,
      upstream: { ...loaded.upstream, url: simulator.url },
      poll: { ...loaded.poll, interval_ms: interval, stale_after_ms: Math.max(loaded.poll.stale_after_ms, interval * 10) },
    };
    const checked = await checkConfig(config, EXAMPLE_CONFIG_PATH);
    const exporter = await startExporter({ ...checked, logger, listenAddress: `${host.includes(":") ? `[${host}]` : host}:${options.exporterPort ?? 0}` });
    return {
      exporterUrl: exporter.url,
      metricsUrl: `${exporter.url}${config.web.metrics_path}`,
      simulator,
      exporter,
      config,
      stop: async () => {
        await exporter.stop();
        await simulator.close();
      },
    };
  } catch (error) {
    await simulator.close();
    throw error;
  }
}
