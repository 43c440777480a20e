// Child of bench/flood.ts: the exporter's HTTP app alone (createApp + listen) serving a fixed exposition of
// `megabytes` MB, optionally behind TLS and basic auth, answering its RSS over IPC.
import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { pino } from "pino";
import { prepareStatistics } from "../src/exposition/prepared-statistics.js";
import { basicAuthGuard } from "../src/http/basic-auth.js";
import { createApp, listen } from "../src/http/server.js";
import { childOptions, serveCommands } from "./child.js";

export interface FloodTargetOptions {
  megabytes: number;
  tls: boolean;
  /** bcrypt hash of the one user "alice" when basic auth is on. */
  basicAuthHash?: string;
}

/** A realistic-looking text exposition of about `megabytes` MB. */
function exposition(megabytes: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < megabytes * 1024 * 1024; i++) {
    const line = `brightpattern_agent_state_duration_seconds{app_id="wallboard",grid_id="agents",agent="agent${i}@example.com",team="team ${i % 40}"} ${i % 997}.5\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join("");
}

const options = childOptions<FloodTargetOptions>();
const statistics = await prepareStatistics(exposition(options.megabytes));
const fixtures = new URL("../test/fixtures/web/", import.meta.url);
const app = createApp({
  metricsPath: "/metrics",
  statistics: () => statistics,
  selfMetrics: async () => "brightpattern_up 1\n",
  status: () => ({ version: "bench", upstreamUrl: "", tenantUrl: "", authMethod: "oauth", state: "polling", ready: true, series: 1 }),
  logger: pino({ level: "silent" }),
  ...(options.basicAuthHash !== undefined && { guard: basicAuthGuard({ alice: options.basicAuthHash }) }),
});
const tls = options.tls
  ? { cert: readFileSync(new URL("server.pem", fixtures)), key: readFileSync(new URL("server.key", fixtures)) }
  : undefined;
const server = await listen(app, "127.0.0.1:0", tls);
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();

serveCommands({
  /** The longest event-loop block since the last call, in ms. */
  longestBlock: () => {
    const max = delay.max / 1e6;
    delay.reset();
    return max;
  },
  connections: () => new Promise((resolve) => server.server.getConnections((_error, count) => resolve(count))),
  ready: () => ({ url: server.url, bytes: statistics.byteLength }),
  rss: () => process.memoryUsage().rss,
  close: () => server.close(),
});
