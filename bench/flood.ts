// The pipelining flood of issue #12, measured: `connections` clients each send `requests` pipelined
// GET /metrics at once and never read an answer, against an exposition of `megabytes` MB. Meanwhile a probe
// asks /healthz on a new connection every 20 ms. Prints the server's RSS before, at its peak and after, and
// the slowest /healthz. The server runs in its own process (bench/flood-target.ts).
//   npm run bench:flood                      # 8 x 2000 against 5 MB, plain HTTP
//   npm run bench:flood -- --tls --basic-auth  # the same over TLS, to a guarded /metrics, without credentials
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { performance } from "node:perf_hooks";
import tls from "node:tls";
import { parseArgs } from "node:util";
import { Child } from "./child.js";
import type { FloodTargetOptions } from "./flood-target.js";

const { values } = parseArgs({
  options: {
    connections: { type: "string", default: "8" },
    requests: { type: "string", default: "2000" },
    megabytes: { type: "string", default: "5" },
    seconds: { type: "string", default: "10" },
    tls: { type: "boolean", default: false },
    "basic-auth": { type: "boolean", default: false },
  },
});
const connections = Number(values.connections);
const requests = Number(values.requests);
const seconds = Number(values.seconds);
// alice / alice-password from test/fixtures/web/tls-basic-auth.yml (cost 4); the flood sends no credentials.
const ALICE_HASH = "$2b$04$OJ6BULlFggeJkOZa1AwOhe/pNXgL4jEJ7m44g8MK6pMj7sxetqPcG";
const targetOptions: FloodTargetOptions = {
  megabytes: Number(values.megabytes),
  tls: values.tls,
  ...(values["basic-auth"] && { basicAuthHash: ALICE_HASH }),
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const { child, ready } = await Child.start<{ url: string; bytes: number }>(new URL("./flood-target.ts", import.meta.url), targetOptions);
const url = new URL(ready.url);
const rss = async () => (await child.call("rss")) as number;

function probe(): Promise<number> {
  const started = performance.now();
  const get = values.tls ? https.get : http.get;
  return new Promise((resolve) => {
    const req = get(new URL("/healthz", url), { agent: false, rejectUnauthorized: false, timeout: 30_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(performance.now() - started));
    });
    req.on("error", () => resolve(Number.POSITIVE_INFINITY));
    req.on("timeout", () => req.destroy());
  });
}

function connect(): net.Socket {
  const port = Number(url.port);
  const socket = values.tls ? tls.connect({ host: "127.0.0.1", port, rejectUnauthorized: false }) : net.connect({ host: "127.0.0.1", port });
  socket.on("error", () => undefined);
  return socket;
}

// One scrape as Prometheus would do it, so the baseline includes a served exposition.
await probe();
const warm = await fetchMetrics();
const before = await rss();

const request = `GET /metrics HTTP/1.1\r\nHost: ${url.host}\r\nAccept-Encoding: gzip\r\n\r\n`;
const flood = request.repeat(requests);
const sockets: net.Socket[] = [];
for (let i = 0; i < connections; i++) {
  const socket = connect();
  socket.pause(); // never read
  socket.write(flood);
  sockets.push(socket);
}

await child.call("longestBlock");
let peak = before;
const timeline: string[] = [];
let slowest = 0;
let probes = 0;
const end = performance.now() + seconds * 1000;
const sampler = (async () => {
  while (performance.now() < end) {
    peak = Math.max(peak, await rss());
    await sleep(200);
  }
})();
while (performance.now() < end) {
  const took = await probe();
  if (took > 100) timeline.push(`${(seconds * 1000 - (end - performance.now())).toFixed(0)} ms: ${took.toFixed(0)} ms`);
  slowest = Math.max(slowest, took);
  probes++;
  await sleep(20);
}
await sampler;
const during = await rss();
const longestBlock = (await child.call("longestBlock")) as number;
const stillOpen = (await child.call("connections")) as number;
for (const socket of sockets) socket.destroy();
await sleep(3_000);
const after = await rss();
await child.stop();

async function fetchMetrics(): Promise<number> {
  const get = values.tls ? https.get : http.get;
  const auth = values["basic-auth"] ? { auth: "alice:alice-password" } : {};
  return new Promise((resolve, reject) => {
    get(new URL("/metrics", url), { agent: false, rejectUnauthorized: false, ...auth }, (res) => {
      let size = 0;
      res.on("data", (chunk: Buffer) => (size += chunk.length));
      res.on("end", () => resolve(size));
    }).on("error", reject);
  });
}

const mode = `${values.tls ? "TLS" : "plain HTTP"}${values["basic-auth"] ? ", basic auth (flood without credentials)" : ""}`;
console.log(`flood: ${connections} connections x ${requests} pipelined GET /metrics, never read; exposition ${mb(ready.bytes)} (${warm} bytes served); ${mode}`);
console.log(`RSS before ${mb(before)}, peak ${mb(peak)} (growth ${mb(peak - before)}), at the end ${mb(during)}, 3 s after ${mb(after)}`);
console.log(`/healthz: ${probes} probes, slowest ${slowest.toFixed(1)} ms; connections the server still holds: ${stillOpen} of ${connections}; longest event-loop block ${longestBlock.toFixed(1)} ms`);
if (timeline.length > 0) console.log(`slow probes: ${timeline.join(", ")}`);
