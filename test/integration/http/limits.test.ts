// Hostile clients against the real server (issue #12, item 1): pipelining without reading, too many requests
// at once, trickled headers, clients that stop reading. Bounds are asserted on counts and bytes, never on time;
// the timing figures (RSS, /healthz latency under the flood) come from `npm run bench:flood`.
import { readFileSync } from "node:fs";
import net from "node:net";
import { join, resolve } from "node:path";
import tls from "node:tls";
import express from "express";
import pino from "pino";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { prepareStatistics } from "../../../src/exposition/prepared-statistics.js";
import type { PreparedStatistics } from "../../../src/exposition/prepared-statistics.js";
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from "../../../src/http/limits.js";
import { type RunningServer, createApp, listen } from "../../../src/http/server.js";
import { eventually } from "../../support/eventually.js";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/web");
const TLS_OPTIONS = { cert: readFileSync(join(FIXTURES, "server.pem")), key: readFileSync(join(FIXTURES, "server.key")) };

let running: RunningServer | undefined;
const clients: net.Socket[] = [];
afterEach(async () => {
  for (const socket of clients.splice(0)) socket.destroy();
  await running?.close();
  running = undefined;
});

/** An app whose /hold answers only when released: requests stay in flight as long as a test wants. */
function holdingApp() {
  const held: (() => void)[] = [];
  const app = express();
  app.get("/hold", (_req, res) => {
    held.push(() => res.end("released\n"));
  });
  app.get("/healthz", (_req, res) => {
    res.end("ok\n");
  });
  return { app, held, releaseAll: () => held.splice(0).forEach((release) => release()) };
}

function exposition(megabytes: number): string {
  const line = 'brightpattern_agent_state_duration_seconds{app_id="w",agent="a@example.com"} 12.5\n';
  return line.repeat(Math.ceil((megabytes * 1024 * 1024) / line.length));
}

/** The exporter's app over a fixed exposition; counts how often /metrics was served. */
async function exporterApp(statistics: PreparedStatistics) {
  const served = { count: 0 };
  const app = createApp({
    metricsPath: "/metrics",
    statistics: () => {
      served.count++;
      return statistics;
    },
    selfMetrics: async () => "brightpattern_up 1\n",
    status: () => ({ version: "t", upstreamUrl: "", tenantUrl: "", authMethod: "oauth", state: "polling", ready: true, series: 1 }),
    logger: pino({ level: "silent" }),
  });
  return { app, served };
}

async function start(app: express.Express, limits: Partial<HttpLimits> = {}, withTls = false) {
  running = await listen(app, "127.0.0.1:0", withTls ? TLS_OPTIONS : undefined, limits);
  return Number(new URL(running.url).port);
}

/** A raw client that writes `text` and never reads what comes back. */
async function rawClient(port: number, text: string, withTls = false) {
  const socket = withTls ? tls.connect({ host: "127.0.0.1", port, rejectUnauthorized: false }) : net.connect({ host: "127.0.0.1", port });
  clients.push(socket);
  const state = { closed: false };
  socket.on("error", () => undefined);
  socket.on("close", () => (state.closed = true));
  await new Promise((resolve) => socket.once(withTls ? "secureConnect" : "connect", resolve));
  socket.pause();
  socket.write(text);
  return state;
}

/** Connections the server still holds (a paused client does not notice a graceful close, the server knows). */
const openConnections = () => new Promise<number>((resolve) => running!.server.getConnections((_error, count) => resolve(count)));

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;

describe("requests in flight", () => {
  for (const withTls of [false, true]) {
    it(`closes a connection with more pipelined requests in flight than allowed${withTls ? " (TLS)" : ""}`, async () => {
      const { app, held, releaseAll } = holdingApp();
      const port = await start(app, { maxInFlightPerConnection: 2 }, withTls);
      const polite = await rawClient(port, get("/hold").repeat(2), withTls);
      const greedy = await rawClient(port, get("/hold").repeat(3), withTls);
      await eventually(() => greedy.closed, 10_000, "the greedy connection to be closed");
      // The third request never reached a handler; the polite connection is untouched.
      expect(held.length).toBeLessThanOrEqual(4);
      expect(polite.closed).toBe(false);
      releaseAll();
    });
  }

  it("stops parsing a greedy connection's pipelined requests at once", async () => {
    const { app, releaseAll } = holdingApp();
    const port = await start(app, { maxInFlightPerConnection: 2 });
    const parsed = { count: 0 };
    running!.server.on("request", () => parsed.count++);
    const greedy = await rawClient(port, get("/hold").repeat(2000));
    await eventually(() => greedy.closed, 10_000, "the greedy connection to be closed");
    // Not the ~1000 requests of the chunk read: building each costs the event loop ~70 us.
    expect(parsed.count).toBeLessThanOrEqual(4);
    releaseAll();
  });

  it("answers 503 past the total in flight, and still answers probes", async () => {
    const { app, held, releaseAll } = holdingApp();
    const port = await start(app, { maxInFlight: 2 });
    await rawClient(port, get("/hold"));
    await rawClient(port, get("/hold"));
    await eventually(() => held.length === 2, 10_000, "two requests in flight");
    const refused = await request(`http://127.0.0.1:${port}/hold`);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers["retry-after"]).toBe("1");
    await refused.body.text();
    const probe = await request(`http://127.0.0.1:${port}/healthz`);
    expect(probe.statusCode).toBe(200);
    await probe.body.text();
    expect(held.length).toBe(2);
    releaseAll();
    // Once answered, the slots are free again.
    await eventually(async () => {
      const again = await request(`http://127.0.0.1:${port}/healthz`);
      await again.body.text();
      return again.statusCode === 200;
    });
  });

  it("8 connections x 2000 pipelined GET /metrics of a 5 MB exposition, never read: each is closed, few answers are prepared", async () => {
    const statistics = await prepareStatistics(exposition(5));
    const { app, served } = await exporterApp(statistics);
    const port = await start(app);
    const flood = get("/metrics").repeat(2000);
    const floods = await Promise.all(Array.from({ length: 8 }, () => rawClient(port, flood)));
    await eventually(() => floods.every((state) => state.closed), 20_000, "every flooding connection to be closed");
    // At most the allowed requests in flight per connection reached /metrics, not 16000.
    expect(served.count).toBeLessThanOrEqual(8 * DEFAULT_HTTP_LIMITS.maxInFlightPerConnection);
    const probe = await request(`http://127.0.0.1:${port}/healthz`);
    expect(probe.statusCode).toBe(200);
    await probe.body.text();
  });
});

describe("backpressure and timeouts", () => {
  it("writes a big exposition only as fast as the client reads it", async () => {
    const statistics = await prepareStatistics(exposition(12));
    const { app } = await exporterApp(statistics);
    const port = await start(app);
    const sockets: net.Socket[] = [];
    running!.server.on("connection", (socket: net.Socket) => sockets.push(socket));
    await rawClient(port, get("/metrics"));
    const server = await eventually(() => sockets.find((socket) => socket.bytesWritten > 0), 10_000, "the answer to start");
    await eventually(() => server.writableLength > 0, 10_000, "the kernel buffers to fill");
    // The 12 MB are not queued in the process: at most a slice or two waits for the client.
    expect(server.writableLength).toBeLessThanOrEqual(512 * 1024);
  });

  it("closes a connection whose headers trickle in", async () => {
    const { app } = holdingApp();
    const port = await start(app, { headersTimeoutMs: 300, requestTimeoutMs: 600, timeoutCheckIntervalMs: 100 });
    await rawClient(port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1");
    expect(await openConnections()).toBe(1);
    await eventually(async () => (await openConnections()) === 0, 10_000, "the trickling connection to be closed");
  });

  it("closes a connection whose client stops reading an answer", async () => {
    const statistics = await prepareStatistics(exposition(12));
    const { app } = await exporterApp(statistics);
    const port = await start(app, { idleTimeoutMs: 300 });
    await rawClient(port, get("/metrics"));
    expect(await openConnections()).toBe(1);
    await eventually(async () => (await openConnections()) === 0, 10_000, "the stalled connection to be closed");
  });

  it("sets the documented defaults on the server", async () => {
    const { app } = holdingApp();
    await start(app);
    const server = running!.server;
    expect(server.headersTimeout).toBe(DEFAULT_HTTP_LIMITS.headersTimeoutMs);
    expect(server.requestTimeout).toBe(DEFAULT_HTTP_LIMITS.requestTimeoutMs);
    expect(server.keepAliveTimeout).toBe(DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs);
    expect(server.timeout).toBe(DEFAULT_HTTP_LIMITS.idleTimeoutMs);
    expect(server.maxConnections).toBe(DEFAULT_HTTP_LIMITS.maxConnections);
  });
});
