// Every endpoint and every status the seed lists, against the real simulator, under both auth methods.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../../src/simulator/index.js";
import { StatsApiClient } from "../../../src/statsapi/client.js";
import { rejection } from "./rejection.js";
import { type AuthMethod, CLIENT_ID, SUBSCRIPTION, TOKEN_PATH, USERNAME, upstreamConfig } from "./upstream-config.js";
import { readData } from "../../support/data.js";

describe.each<AuthMethod>(["oauth", "session"])("StatsApiClient with %s auth against the simulator", (method) => {
  let simulator: Simulator;
  let client: StatsApiClient;

  beforeEach(async () => {
    simulator = await startSimulator({ tickMs: 0, warmupPolls: 1 });
    client = new StatsApiClient({ upstream: upstreamConfig(simulator.url, method) });
  });

  afterEach(async () => {
    await client.close();
    await simulator.close();
  });

  it("logs in, subscribes (empty 200), gets 204 then data, deletes, and the data is gone (404)", async () => {
    await client.login();
    await client.deleteSubscription(); // nothing to delete yet: never an error
    await client.subscribe(SUBSCRIPTION);
    expect(simulator.activeSubscriptions()).toBe(1);
    expect(await client.getDataText()).toBeNull();

    const data = await readData(client);
    const app = data?.wallboard;
    expect(Object.keys(app?.stats_totals ?? {}).sort()).toEqual(["agents_ready", "in_calls_waiting"]);
    expect(app?.service_grids?.[0]?.id).toBe("services");
    expect(app?.service_grids?.[0]?.values.length).toBeGreaterThan(0);
    const agents = app?.agent_grids?.[0]?.values ?? [];
    expect(agents.length).toBeGreaterThan(0);
    expect(Object.keys(agents[0] ?? {}).sort()).toEqual(["login", "state"]);
    expect(Array.isArray(app?.chat_messages)).toBe(true);

    const text = await client.getDataText();
    expect(JSON.parse(text ?? "null")).toHaveProperty("wallboard");

    await client.deleteSubscription();
    expect(simulator.activeSubscriptions()).toBe(0);
    const gone = await rejection(client.getDataText());
    expect(gone.code).toBe("BP_NO_SUBSCRIPTION");
    expect(gone.status).toBe(404);
    expect(gone.message).toBe("GET /statsapi/subscription/data: no active subscription (404)");
  });

  it("sends Bearer tokens (oauth) or only cookies (session) with the calls", async () => {
    await client.login();
    await client.listTeams();
    const paths = simulator.requests.map((request) => `${request.method} ${request.path} ${request.status}`);
    const login = method === "oauth" ? `POST ${TOKEN_PATH} 200` : "POST /statsapi/auth 200";
    expect(paths).toEqual([login, "GET /statsapi/cfg/teams 200"]);
  });

  it("lists dispositions (with and without flags), teams, services and agents", async () => {
    await client.login();
    const all = await client.getDispositions();
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((name) => typeof name === "string" && name !== "")).toBe(true);
    const some = await client.getDispositions({ agentCanSelect: true, inbound: true, outbound: false });
    expect(Array.isArray(some)).toBe(true);
    expect(simulator.requests.at(-1)?.path).toBe("/statsapi/cfg/dispositions");

    for (const list of [await client.listTeams(), await client.listServices(), await client.listAgents()]) {
      expect(list.length).toBeGreaterThan(0);
      for (const item of list) {
        expect(Object.keys(item).sort()).toEqual(["id", "name"]);
        expect(typeof item.id).toBe("string");
        expect(typeof item.name).toBe("string");
      }
    }
    expect((await client.listServices()).length).toBe(6); // the simulator's defaults
    expect((await client.listAgents()).length).toBe(40);
  });

  it("reports a 400 with the server's error_code and error_message", async () => {
    await client.login();
    const error = await rejection(
      client.subscribe({ wallboard: { stats_totals: ["no_such_statistic"] } }),
    );
    expect(error.code).toBe("BP_BAD_REQUEST");
    expect(error.status).toBe(400);
    expect(error.errorCode).toBeDefined();
    expect(error.errorMessage).toContain("no_such_statistic");
    expect(error.message).toContain(`error_code ${String(error.errorCode)}`);
    expect(error.message).toMatch(/^POST \/statsapi\/subscription: bad request \(400\)/);
  });

  it("reports 409 when the tenant's subscription limit is reached", async () => {
    await client.login();
    simulator.faults.forceSubscriptionLimit(true);
    const error = await rejection(client.subscribe(SUBSCRIPTION));
    expect(error.code).toBe("BP_SUBSCRIPTION_LIMIT");
    expect(error.message).toContain("limit of active subscriptions exceeded for the tenant");
  });

  it("reports 401 on every call once the session or token expired, and works again after a new login", async () => {
    await client.login();
    await client.subscribe(SUBSCRIPTION);
    for (const call of [
      () => client.getDataText(),
      () => client.subscribe(SUBSCRIPTION),
      () => client.deleteSubscription(),
      () => client.getDispositions(),
      () => client.listAgents(),
    ]) {
      simulator.faults.expireSessions();
      const error = await rejection(call());
      expect(error.code).toBe("BP_UNAUTHORIZED");
      expect(error.status).toBe(401);
      await client.login();
    }
    await client.subscribe(SUBSCRIPTION);
    expect(await client.getDataText()).toBeNull();
  });

  it("rejects wrong credentials with BP_LOGIN_REJECTED", async () => {
    const wrong = upstreamConfig(simulator.url, method, {
      auth:
        method === "oauth"
          ? { method, client_id: CLIENT_ID, client_secret: "wrong-secret", token_path: TOKEN_PATH }
          : { method, username: USERNAME, password: "wrong-password" },
    });
    const bad = new StatsApiClient({ upstream: wrong });
    try {
      const error = await rejection(bad.login());
      expect(error.code).toBe("BP_LOGIN_REJECTED");
      expect(error.status).toBe(401);
      expect(error.message).not.toContain("wrong-");
    } finally {
      await bad.close();
    }
  });

  it("maps 5xx to BP_UPSTREAM and carries on", async () => {
    await client.login();
    await client.subscribe(SUBSCRIPTION);
    simulator.faults.failNext(1, 503, "/statsapi/subscription/data");
    const error = await rejection(client.getDataText());
    expect(error.code).toBe("BP_UPSTREAM");
    expect(error.status).toBe(503);
    expect(await client.getDataText()).toBeNull();
  });

  it("logs out: the session ends (session) or the token is forgotten and fetched again (oauth)", async () => {
    await client.login();
    await client.logout();
    if (method === "session") {
      expect((await rejection(client.listTeams())).code).toBe("BP_UNAUTHORIZED");
      expect(simulator.requests.map((request) => `${request.method} ${request.path}`)).toContain("DELETE /statsapi/auth");
    } else {
      await client.listTeams();
      expect(simulator.requests.filter((request) => request.path === TOKEN_PATH)).toHaveLength(2);
    }
  });
});

describe("dispositions in either shape", () => {
  it.each(["object", "array"] as const)("reads the %s shape", async (shape) => {
    const simulator = await startSimulator({ tickMs: 0, dispositionsShape: shape });
    const client = new StatsApiClient({ upstream: upstreamConfig(simulator.url, "oauth") });
    try {
      const names = await client.getDispositions();
      expect(names.length).toBeGreaterThan(0);
      expect(names.every((name) => typeof name === "string")).toBe(true);
    } finally {
      await client.close();
      await simulator.close();
    }
  });
});
