// The e2e stack: the simulator and the exporter (config.example.yaml) in-process, and a real
// Prometheus scraping the exporter every second with the alert rules loaded.
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { type Demo, startDemo } from "../../src/exporter/demo.js";
import { JOB, type PrometheusServer, startPrometheus } from "./prometheus-server.js";
import { ALERTS_FILE } from "./rule-queries.js";

export interface Stack {
  demo: Demo;
  prometheus: PrometheusServer;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const demo = await startDemo({ interval: "1s", logger: pino({ level: "silent" }) });
  let prometheus: PrometheusServer | undefined;
  try {
    const target = new URL(demo.exporterUrl);
    prometheus = await startPrometheus({ target: target.host, metricsPath: new URL(demo.metricsUrl).pathname, ruleFiles: [fileURLToPath(ALERTS_FILE)] });
    // rate() over the dashboards' 1m windows needs two scrapes of the exporter with data.
    await prometheus.waitFor(`count_over_time(brightpattern_in_calls_waiting{job="${JOB}"}[1m]) >= 3`, 30_000);
  } catch (error) {
    await prometheus?.stop();
    await demo.stop();
    throw error;
  }
  const started = prometheus;
  return {
    demo,
    prometheus: started,
    stop: async () => {
      await started.stop();
      await demo.stop();
    },
  };
}
