// Benchmark child: one server under test — the exporter ("ours"), the prom-client baseline ("naive"), or the
// same bytes as a static buffer on plain node:http ("floor") — with an event-loop delay monitor.
import { subscribe } from "node:diagnostics_channel";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { PerformanceObserver, monitorEventLoopDelay } from "node:perf_hooks";
import zlib from "node:zlib";
import { pino } from "pino";
import { startExporter } from "../src/exporter/exporter.js";
import { runStatisticsJob } from "../src/exposition/job.js";
import { STATISTICS_CHANNEL, type StatisticsProcessedEvent } from "../src/exposition/worker.js";
import { StatsApiClient } from "../src/statsapi/client.js";
import { buildSubscriptionRequest } from "../src/statsapi/subscription-request.js";
import { childOptions, serveCommands } from "./child.js";
import { benchConfig } from "./config.js";
import type { CheckedConfig } from "../src/exporter/checked-config.js";
import { startNaive } from "./naive.js";

export type TargetKind = "ours" | "naive" | "floor";
export type ProcessingEvent = Omit<StatisticsProcessedEvent, "bodyChars">;
export interface TargetOptions {
  kind: TargetKind;
  upstreamUrl: string;
  agents: number;
  intervalMs: number;
}

interface Running {
  url: string;
  events: ProcessingEvent[];
  close(): Promise<void>;
}

async function startOurs(checked: CheckedConfig): Promise<Running> {
  const events: ProcessingEvent[] = [];
  subscribe(STATISTICS_CHANNEL, (event) => events.push(event as StatisticsProcessedEvent));
  const exporter = await startExporter({ ...checked, logger: pino({ level: "warn" }) });
  return { url: exporter.url, events, close: () => exporter.stop() };
}

/** The exposition of one poll, served as ready bytes with nothing else: what no server can beat. */
async function startFloor(checked: CheckedConfig): Promise<Running> {
  const client = new StatsApiClient({ upstream: checked.config.upstream });
  await client.login();
  await client.subscribe(buildSubscriptionRequest(checked.config));
  let body = await client.getDataText();
  while (body === null) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    body = await client.getDataText();
  }
  await client.deleteSubscription();
  await client.close();
  const plain = Buffer.concat((await runStatisticsJob(body, checked.plan)).statistics.chunks);
  const gzipped = zlib.gzipSync(plain);
  const server = http.createServer((req, res) => {
    if (req.url === "/healthz") {
      res.end("ok\n");
      return;
    }
    const zipped = /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
    const bytes = zipped ? gzipped : plain;
    res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4", "Content-Length": bytes.length, ...(zipped && { "Content-Encoding": "gzip" }) });
    res.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    events: [],
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const options = childOptions<TargetOptions>();
const checked = await benchConfig(options.upstreamUrl, options.agents, options.intervalMs);
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
// The longest main-thread GC pause since the last reset: tells blocks of our own work from the collector's.
let longestGc = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longestGc = Math.max(longestGc, entry.duration);
}).observe({ entryTypes: ["gc"] });
const running = options.kind === "ours" ? await startOurs(checked) : options.kind === "naive" ? await startNaive(checked) : await startFloor(checked);
const ms = (ns: number) => ns / 1e6;

serveCommands({
  ready: () => ({ url: running.url }),
  /** Processing events since the last call. */
  events: () => running.events.splice(0),
  memory: () => process.memoryUsage(),
  resetDelay: () => {
    delay.reset();
    longestGc = 0;
  },
  /** Event-loop delay since the last reset, in ms: its max is the longest block. */
  delay: () => ({ max: ms(delay.max), p99: ms(delay.percentile(99)), mean: ms(delay.mean), longestGc }),
  close: () => running.close(),
});
