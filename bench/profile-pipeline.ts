// npx tsx bench/profile-pipeline.ts [size]: the steps of one poll's processing on the main thread, timed
// one by one, with the event-loop block each causes — why the exporter runs them in a worker thread — and
// what deflate costs at each level (the largest step).
import { monitorEventLoopDelay } from "node:perf_hooks";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { renderStatistics } from "../src/metrics/render.js";
import { startSimulator } from "../src/simulator/index.js";
import { StatsApiClient } from "../src/statsapi/client.js";
import { parseSubscriptionData } from "../src/statsapi/subscription-data.js";
import { buildSubscriptionRequest } from "../src/statsapi/subscription-request.js";
import { benchConfig, parseSize } from "./config.js";

const deflateRaw = promisify(zlib.deflateRaw);
const size = parseSize(process.argv[2] ?? "100k");
const simulator = await startSimulator({ agents: size.agents, services: 20, tickMs: 0, seed: 7 });
simulator.tick(600);
const checked = await benchConfig(simulator.url, size.agents, 1000);
const client = new StatsApiClient({ upstream: checked.config.upstream });
await client.login();
await client.subscribe(buildSubscriptionRequest(checked.config));
let body = await client.getDataText();
while (body === null) body = await client.getDataText();
await client.close();
await simulator.close();

/** Runs `step` alone on an idle loop: its duration and the longest event-loop block seen meanwhile. */
async function timed<T>(name: string, step: () => T | Promise<T>): Promise<T> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  await new Promise((resolve) => setTimeout(resolve, 20)); // the monitor records from its second tick on
  const started = performance.now();
  const result = await step();
  const ms = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 20));
  delay.disable();
  console.log(`${name.padEnd(34)} ${ms.toFixed(1).padStart(7)} ms   longest block ${(delay.max / 1e6).toFixed(1).padStart(6)} ms`);
  return result;
}

console.log(`${size.label}: data body ${(body.length / 2 ** 20).toFixed(2)} MB`);
for (let round = 0; round < 2; round++) {
  console.log(`round ${round + 1}${round === 0 ? " (cold)" : ""}`);
  const text = body;
  const data = await timed("JSON.parse + shape check", () => parseSubscriptionData(text));
  const rendered = await timed("render", () => renderStatistics(data, checked.plan));
  const plain = await timed("encode UTF-8", () => Buffer.from(rendered.text, "utf8"));
  await timed("crc32", () => zlib.crc32(plain));
  for (const level of [1, 3, 6]) {
    const deflated = await timed(`deflate level ${level} (thread pool)`, () => deflateRaw(plain, { level }));
    if (round === 1) console.log(`  level ${level}: ${(deflated.length / 2 ** 20).toFixed(2)} MB (${(plain.length / deflated.length).toFixed(1)}x)`);
  }
}
