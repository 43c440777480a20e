// Session login (the seed's method): the cookies really carry the session, and 403 servers are reported as such.
import { CookieJar } from "tough-cookie";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../../src/simulator/index.js";
import { StatsApiClient } from "../../../src/statsapi/client.js";
import { rejection } from "./rejection.js";
import { upstreamConfig } from "./upstream-config.js";

describe("session login", () => {
  let simulator: Simulator;
  let jar: CookieJar;
  let client: StatsApiClient;

  beforeEach(async () => {
    simulator = await startSimulator({ tickMs: 0 });
    jar = new CookieJar();
    client = new StatsApiClient({ upstream: upstreamConfig(simulator.url, "session"), cookieJar: jar });
  });

  afterEach(async () => {
    await client.close();
    await simulator.close();
  });

  it("keeps the session cookies and sends them: a client whose jar is emptied gets 401", async () => {
    await client.login();
    expect((await jar.getCookies(simulator.url)).length).toBeGreaterThan(0);
    await client.listServices();

    await jar.removeAllCookies();
    const error = await rejection(client.listServices());
    expect(error.code).toBe("BP_UNAUTHORIZED");
    expect(error.message).toBe("GET /statsapi/cfg/services: unauthorized (401): the token or session is no longer valid");
  });

  it("starts a new login from an empty jar (no cookie of the old session is sent)", async () => {
    await client.login();
    const foreign = "X-OLD-SESSION=stale-value; Path=/";
    await jar.setCookie(foreign, simulator.url);
    await client.login();
    const names = (await jar.getCookies(simulator.url)).map((cookie) => cookie.key);
    expect(names).not.toContain("X-OLD-SESSION");
    expect(names.length).toBeGreaterThan(0);
    await client.listTeams();
  });

  it("reports a server that refuses session login (403) as 'use oauth', not as wrong credentials", async () => {
    simulator.faults.forbidSessionLogin(true);
    const error = await rejection(client.login());
    expect(error.code).toBe("BP_LOGIN_FORBIDDEN");
    expect(error.reason).toBe("login_forbidden");
    expect(error.status).toBe(403);
    expect(error.message).toContain("this server refuses session login");
    expect(error.message).toContain("use auth.method oauth");
  });

  it("refuses session login from the start when the simulator is built that way", async () => {
    const strict = await startSimulator({ tickMs: 0, sessionLogin: "forbidden" });
    const strictClient = new StatsApiClient({ upstream: upstreamConfig(strict.url, "session") });
    try {
      expect((await rejection(strictClient.login())).code).toBe("BP_LOGIN_FORBIDDEN");
    } finally {
      await strictClient.close();
      await strict.close();
    }
  });
});
