// OAuth client credentials: the token is refreshed before it expires (injected clock) and after a 401.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../../src/simulator/index.js";
import { StatsApiClient } from "../../../src/statsapi/client.js";
import { rejection } from "./rejection.js";
import { TOKEN_PATH, upstreamConfig } from "./upstream-config.js";

describe("OAuth token lifecycle", () => {
  let simulator: Simulator;
  let client: StatsApiClient;
  let clock: number;
  const tokenCalls = (): number => simulator.requests.filter((request) => request.path === TOKEN_PATH).length;

  beforeEach(async () => {
    clock = 1_000_000;
    simulator = await startSimulator({ tickMs: 0, tokenTtlSeconds: 60, now: () => clock });
    client = new StatsApiClient({ upstream: upstreamConfig(simulator.url, "oauth"), now: () => clock });
  });

  afterEach(async () => {
    await client.close();
    await simulator.close();
  });

  it("reuses the token while it is fresh and gets a new one before the server lets it expire", async () => {
    await client.login();
    await client.listTeams();
    clock += 29_000; // a 60 s token is replaced at half its life (30 s) at the latest
    await client.listTeams();
    expect(tokenCalls()).toBe(1);

    clock += 32_000; // 61 s: the first token is now expired on the server too
    await client.listTeams();
    expect(tokenCalls()).toBe(2);
    // The refresh went out before the call that needed it.
    expect(simulator.requests.slice(-2).map((request) => request.path)).toEqual([TOKEN_PATH, "/statsapi/cfg/teams"]);
  });

  it("would be refused with the old token (the server really expires it)", async () => {
    const frozen = new StatsApiClient({ upstream: upstreamConfig(simulator.url, "oauth"), now: () => 1_000_000 });
    try {
      await frozen.login();
      clock += 61_000;
      expect((await rejection(frozen.listTeams())).code).toBe("BP_UNAUTHORIZED");
    } finally {
      await frozen.close();
    }
  });

  it("gets a token on the first call when login() was not called", async () => {
    await client.listTeams();
    expect(tokenCalls()).toBe(1);
  });

  it("shares one token request between concurrent calls", async () => {
    await Promise.all([client.listTeams(), client.listServices(), client.listAgents()]);
    expect(tokenCalls()).toBe(1);
  });

  it("drops a token the server refused (401), so the next call gets a new one", async () => {
    await client.login();
    simulator.faults.expireSessions();
    expect((await rejection(client.listTeams())).code).toBe("BP_UNAUTHORIZED");
    await client.listTeams();
    expect(tokenCalls()).toBe(2);
  });

  it("reports a rejected client secret on the token call as BP_LOGIN_REJECTED", async () => {
    simulator.faults.failNext(1, 401, TOKEN_PATH);
    const error = await rejection(client.login());
    expect(error.code).toBe("BP_LOGIN_REJECTED");
    expect(error.operation).toBe(`POST ${TOKEN_PATH}`);
  });
});
