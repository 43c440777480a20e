// The baseline a user would write with prom-client: gauges set from each poll's data, and
// `registry.metrics()` (plus gzip when asked) on every scrape. Same data, same families as the exporter's
// bench config (an info gauge, a state gauge per known state, four duration gauges).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { Gauge, Registry } from "prom-client";
import type { CheckedConfig } from "../src/exporter/checked-config.js";
import { StatsApiClient } from "../src/statsapi/client.js";
import type { GridRow } from "../src/statsapi/types.js";
import { buildSubscriptionRequest } from "../src/statsapi/subscription-request.js";
import { APP_ID, GRID_ID, STATE_TIME_COLUMNS } from "./config.js";
import type { ProcessingEvent } from "./target-process.js";

const gzip = promisify(zlib.gzip);
const STATES = ["ready", "not_ready", "busy", "after_call_work", "logged_out"];

export interface NaiveServer {
  url: string;
  events: ProcessingEvent[];
  close(): Promise<void>;
}

export async function startNaive(checked: CheckedConfig): Promise<NaiveServer> {
  const registry = new Registry();
  const rowLabels = ["app_id", "grid", "agent"];
  const info = new Gauge({ name: "brightpattern_agent_info", help: "Agent.", labelNames: [...rowLabels, "name", "team"], registers: [registry] });
  const state = new Gauge({ name: "brightpattern_agent_state", help: "ACD state.", labelNames: [...rowLabels, "state"], registers: [registry] });
  const durations = Object.values(STATE_TIME_COLUMNS).map(
    ({ stat, family }) => [stat.toLowerCase(), new Gauge({ name: family, help: stat, labelNames: rowLabels, registers: [registry] })] as const,
  );
  const events: ProcessingEvent[] = [];

  const apply = (rows: GridRow[]) => {
    for (const row of rows) {
      const labels = { app_id: APP_ID, grid: GRID_ID, agent: String(row.login_id) };
      info.set({ ...labels, name: String(row.name), team: String(row.team) }, 1);
      const current = row.state === "" ? "logged_out" : String(row.state);
      for (const s of STATES) state.set({ ...labels, state: s }, s === current ? 1 : 0);
      for (const [column, gauge] of durations) gauge.set(labels, Number(row[column]));
    }
  };

  const client = new StatsApiClient({ upstream: checked.config.upstream });
  await client.login();
  await client.subscribe(buildSubscriptionRequest(checked.config));
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const started = Date.now();
      // A failed poll keeps the gauges as they are and tries again next interval, as a user's loop would.
      const text = await client.getDataText().catch((error: unknown) => {
        console.error(`naive: poll failed: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      });
      if (text !== null) {
        const t0 = performance.now();
        const data = JSON.parse(text) as Record<string, { agent_grids?: { values: GridRow[] }[] }>;
        const t1 = performance.now();
        apply(data[APP_ID]?.agent_grids?.[0]?.values ?? []);
        const t2 = performance.now();
        events.push({ startedAt: Date.now() - (t2 - t0), endedAt: Date.now(), series: 0, timings: { parseMs: t1 - t0, renderMs: t2 - t1, compressMs: 0 } });
      }
      const wait = checked.config.poll.interval_ms - (Date.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();

  const server = http.createServer(async (req, res) => {
    if (req.url === "/healthz") {
      res.end("ok\n");
      return;
    }
    const text = await registry.metrics();
    const zipped = /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
    const body = zipped ? await gzip(text) : Buffer.from(text);
    res.writeHead(200, { "Content-Type": registry.contentType, "Content-Length": body.length, ...(zipped && { "Content-Encoding": "gzip" }) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    events,
    close: async () => {
      stopped = true;
      await loop;
      await client.deleteSubscription();
      await client.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
