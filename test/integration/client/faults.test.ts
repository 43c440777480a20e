// Transport failures: deadline, broken and oversized bodies, reset and refused connections.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../../src/simulator/index.js";
import { StatsApiClient } from "../../../src/statsapi/client.js";
import { rejection } from "./rejection.js";
import { SUBSCRIPTION, upstreamConfig } from "./upstream-config.js";
import { freePort } from "../../support/free-port.js";
import { readData } from "../../support/data.js";

describe("transport failures", () => {
  let simulator: Simulator;
  let client: StatsApiClient;

  beforeEach(async () => {
    simulator = await startSimulator({ tickMs: 0, warmupPolls: 0 });
    client = new StatsApiClient({
      upstream: upstreamConfig(simulator.url, "oauth", { timeout_ms: 300 }),
      maxBodyBytes: 1024 * 1024,
    });
    await client.login();
    await client.subscribe(SUBSCRIPTION);
  });

  afterEach(async () => {
    await client.close();
    await simulator.close();
  });

  it("gives up after the upstream timeout with BP_TIMEOUT, then works again", async () => {
    simulator.faults.setDelay(1_500);
    const started = performance.now();
    const error = await rejection(client.getDataText());
    const elapsed = performance.now() - started;
    expect(error.code).toBe("BP_TIMEOUT");
    expect(error.message).toBe("GET /statsapi/subscription/data: no answer within 300 ms");
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1_200);
    simulator.faults.setDelay(0);
    expect(await readData(client)).toHaveProperty("wallboard");
  });

  it("reports broken JSON as BP_MALFORMED and reads the next answer", async () => {
    simulator.faults.malformedNext(1);
    const error = await rejection(readData(client));
    expect(error.code).toBe("BP_MALFORMED");
    expect(error.message).toMatch(/^GET \/statsapi\/subscription\/data: body is not JSON/);
    expect(await readData(client)).toHaveProperty("wallboard");
  });

  it("reports a body cut short as a network failure", async () => {
    simulator.faults.truncateNext(1);
    const error = await rejection(client.getDataText());
    expect(error.code).toBe("BP_NETWORK");
    expect(error.cause).toBeDefined();
    expect(await readData(client)).toHaveProperty("wallboard");
  });

  it("refuses a body larger than the cap with BP_MALFORMED 'body too large'", async () => {
    simulator.faults.hugeNext(1, 2 * 1024 * 1024);
    const error = await rejection(client.getDataText());
    expect(error.code).toBe("BP_MALFORMED");
    expect(error.message).toBe(`GET /statsapi/subscription/data: body too large (more than ${1024 * 1024} bytes)`);
    expect(await readData(client)).toHaveProperty("wallboard");
  });

  it("accepts a large valid body under the cap", async () => {
    simulator.faults.hugeNext(1, 512 * 1024);
    const text = await client.getDataText();
    expect(Buffer.byteLength(text ?? "")).toBeGreaterThanOrEqual(512 * 1024);
  });

  it("reports a connection reset as BP_NETWORK with the cause", async () => {
    simulator.faults.resetNext(1);
    const error = await rejection(client.getDataText());
    expect(error.code).toBe("BP_NETWORK");
    expect(error.reason).toBe("network");
    expect(error.message).toMatch(/^GET \/statsapi\/subscription\/data: network error: /);
    expect(error.cause).toBeInstanceOf(Error);
    expect(await client.getDataText()).not.toBeNull();
  });

  it("reports a refused connection as BP_NETWORK naming the cause", async () => {
    const port = await freePort();
    const offline = new StatsApiClient({ upstream: upstreamConfig(`http://127.0.0.1:${port}`, "oauth", { timeout_ms: 1_000 }) });
    try {
      const error = await rejection(offline.login());
      expect(error.code).toBe("BP_NETWORK");
      expect(error.message).toContain("ECONNREFUSED");
    } finally {
      await offline.close();
    }
  });
});

