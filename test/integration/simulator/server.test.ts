// The simulator over real HTTP: both auth methods, every endpoint and status, credentials on every call.
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, type SimulatorOptions, startSimulator } from "../../../src/simulator/index.js";
import {
  type Credentials, OAUTH_FORM, SESSION_CREDENTIALS, SMALL_SUBSCRIPTION, TENANT, bearer, call, getData, oauthLogin, readData,
  sessionCookies, subscribe,
} from "./harness.js";

const started: Simulator[] = [];
async function sim(options: SimulatorOptions = {}): Promise<Simulator> {
  const s = await startSimulator({ tickMs: 0, ...options });
  started.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

describe("OAuth token endpoint", () => {
  it("issues a Bearer token with expires_in as a string of seconds and the tenant as scope", async () => {
    const s = await sim({ tokenTtlSeconds: 900 });
    const res = await oauthLogin(s);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: "900", scope: TENANT });
    expect(typeof body.access_token).toBe("string");
    expect((body.access_token as string).length).toBeGreaterThan(20);
  });

  it.each([
    ["a wrong secret", { client_secret: "nope" }, 401, "invalid_client"],
    ["a wrong client id", { client_id: "other" }, 401, "invalid_client"],
    ["another grant type", { grant_type: "password" }, 400, "unsupported_grant_type"],
    ["another tenant as scope", { scope: "other.example.com" }, 400, "invalid_scope"],
  ])("rejects %s", async (_what, change, status, error) => {
    const s = await sim();
    const res = await oauthLogin(s, { ...OAUTH_FORM, ...change });
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error });
  });

  it("rejects a JSON body: the endpoint is form-encoded", async () => {
    const s = await sim();
    const res = await fetch(`${s.url}/configapi/v2/oauth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(OAUTH_FORM) });
    expect(res.status).toBe(400);
  });

  it("expires tokens after tokenTtlSeconds", async () => {
    let clock = 1_000_000;
    const s = await sim({ tokenTtlSeconds: 60, now: () => clock });
    const auth = await bearer(s);
    expect((await call(s, "GET", "/statsapi/cfg/teams", auth)).status).toBe(200);
    clock += 59_000;
    expect((await call(s, "GET", "/statsapi/cfg/teams", auth)).status).toBe(200);
    clock += 1_000;
    expect((await call(s, "GET", "/statsapi/cfg/teams", auth)).status).toBe(401);
  });
});

describe("session login", () => {
  it("answers {token, privileges, user_id} and sets the three HttpOnly session cookies", async () => {
    const s = await sim();
    const res = await fetch(`${s.url}/statsapi/auth`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(SESSION_CREDENTIALS) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; privileges: string[]; user_id: string };
    expect(body.privileges).toContain("Access Realtime Stats API");
    expect(body.user_id).toMatch(/^[0-9A-F-]{36}$/);
    const cookies = res.headers.getSetCookie();
    expect(cookies).toEqual([
      `X-STATSAPI-TOKEN=${body.token}; Path=/; HttpOnly`,
      `X-STATSAPI-TENANT=${TENANT}; Path=/; HttpOnly`,
      "X-STATSAPI-LOGIN=supervisor; Path=/; HttpOnly",
    ]);
  });

  it.each([
    ["a wrong password", { password: "wrong" }],
    ["a wrong user", { username: "someone" }],
    ["another tenant", { tenant_url: "other.example.com" }],
  ])("answers 401 for %s", async (_what, change) => {
    const s = await sim();
    const res = await call(s, "POST", "/statsapi/auth", {}, { ...SESSION_CREDENTIALS, ...change });
    expect(res.status).toBe(401);
  });

  it("answers 403 illegal login attempt when session login is forbidden (option or fault)", async () => {
    const strict = await sim({ sessionLogin: "forbidden" });
    const res = await call(strict, "POST", "/statsapi/auth", {}, SESSION_CREDENTIALS);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "illegal login attempt" });
    const s = await sim();
    s.faults.forbidSessionLogin(true);
    expect((await call(s, "POST", "/statsapi/auth", {}, SESSION_CREDENTIALS)).status).toBe(403);
    s.faults.forbidSessionLogin(false);
    expect((await call(s, "POST", "/statsapi/auth", {}, SESSION_CREDENTIALS)).status).toBe(200);
  });

  it("requires the cookies: the session token sent as a Bearer header is refused", async () => {
    const s = await sim();
    const res = await call(s, "POST", "/statsapi/auth", {}, SESSION_CREDENTIALS);
    const { token } = (await res.json()) as { token: string };
    expect((await call(s, "GET", "/statsapi/cfg/services", { authorization: `Bearer ${token}` })).status).toBe(401);
    expect((await call(s, "GET", "/statsapi/cfg/services", { cookie: `X-STATSAPI-TOKEN=${token}` })).status).toBe(401);
    const all = { cookie: `X-STATSAPI-TOKEN=${token}; X-STATSAPI-TENANT=${TENANT}; X-STATSAPI-LOGIN=supervisor` };
    expect((await call(s, "GET", "/statsapi/cfg/services", all)).status).toBe(200);
  });

  it("keeps earlier sessions by default, ends them with oneSessionPerUser", async () => {
    const lenient = await sim();
    const first = await sessionCookies(lenient);
    await sessionCookies(lenient);
    expect((await call(lenient, "GET", "/statsapi/cfg/teams", first)).status).toBe(200);
    const strict = await sim({ oneSessionPerUser: true });
    const old = await sessionCookies(strict);
    const token = await bearer(strict);
    const latest = await sessionCookies(strict);
    expect((await call(strict, "GET", "/statsapi/cfg/teams", old)).status).toBe(401);
    expect((await call(strict, "GET", "/statsapi/cfg/teams", latest)).status).toBe(200);
    expect((await call(strict, "GET", "/statsapi/cfg/teams", token)).status).toBe(200);
  });

  it("DELETE /statsapi/auth logs out and clears the cookies", async () => {
    const s = await sim();
    const auth = await sessionCookies(s);
    const res = await call(s, "DELETE", "/statsapi/auth", auth);
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().every((c) => c.includes("Max-Age=0"))).toBe(true);
    expect((await call(s, "GET", "/statsapi/cfg/teams", auth)).status).toBe(401);
  });
});

describe.each([
  ["OAuth", bearer],
  ["session", sessionCookies],
] as const)("Stats API calls with %s credentials", (_method, login) => {
  it("subscribe answers 200 with an empty body; data answers 204 during warm-up, then 200", async () => {
    const s = await sim({ warmupPolls: 2 });
    const auth = await login(s);
    const res = await subscribe(s, auth, SMALL_SUBSCRIPTION);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect((await getData(s, auth)).status).toBe(204);
    expect((await getData(s, auth)).status).toBe(204);
    const data = await getData(s, auth);
    expect(data.status).toBe(200);
    const body = (await data.json()) as { wallboard: { stats_totals: Record<string, string>; service_grids: { id: string; values: Record<string, string>[] }[] } };
    expect(Object.keys(body)).toEqual(["wallboard"]);
    expect(body.wallboard.stats_totals.agents_logged).toBe(String(s.center.agents.filter((a) => a.state !== "").length));
    expect(body.wallboard.service_grids[0]?.values.map((r) => r.name)).toEqual(s.center.roster.services.map((x) => x.name));
  });

  it("answers 401 on every Stats API call without credentials", async () => {
    const s = await sim();
    const auth = await login(s);
    expect((await subscribe(s, auth, SMALL_SUBSCRIPTION)).status).toBe(200);
    for (const [method, path] of [
      ["POST", "/statsapi/subscription"], ["DELETE", "/statsapi/subscription/active"], ["GET", "/statsapi/subscription/data"],
      ["GET", "/statsapi/cfg/dispositions"], ["GET", "/statsapi/cfg/teams"], ["GET", "/statsapi/cfg/services"], ["GET", "/statsapi/cfg/agents"],
    ] as const) {
      const res = await call(s, method, path, {}, method === "POST" ? SMALL_SUBSCRIPTION : undefined);
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it("data answers 404 without a subscription and after DELETE; DELETE answers 200 even with none", async () => {
    const s = await sim({ warmupPolls: 0 });
    const auth = await login(s);
    expect((await getData(s, auth)).status).toBe(404);
    expect((await call(s, "DELETE", "/statsapi/subscription/active", auth)).status).toBe(200);
    await subscribe(s, auth, SMALL_SUBSCRIPTION);
    expect((await getData(s, auth)).status).toBe(200);
    expect((await call(s, "DELETE", "/statsapi/subscription/active", auth)).status).toBe(200);
    expect((await getData(s, auth)).status).toBe(404);
    expect(s.activeSubscriptions()).toBe(0);
  });

  it("rejects a bad subscription with 400 {error_code, error_message}", async () => {
    const s = await sim();
    const auth = await login(s);
    const res = await subscribe(s, auth, { wallboard: { stats_totals: ["no_such_stat"] } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error_code: unknown; error_message: string };
    expect(typeof body.error_code).toBe("number");
    expect(body.error_message).toContain("no_such_stat");
    expect(body.error_message).toContain('"wallboard".stats_totals[0]');
    const broken = await fetch(`${s.url}/statsapi/subscription`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: "{nope" });
    expect(broken.status).toBe(400);
  });

  it("keeps one subscription per client: a new POST replaces it", async () => {
    const s = await sim({ warmupPolls: 0 });
    const auth = await login(s);
    await subscribe(s, auth, SMALL_SUBSCRIPTION);
    await subscribe(s, auth, { other: { stats_totals: ["agents_ready"] } });
    expect(s.activeSubscriptions()).toBe(1);
    expect(Object.keys(await readData(s, auth))).toEqual(["other"]);
  });

  it("lists teams, services and agents as [{id, name}] with GUIDs", async () => {
    const s = await sim({ agents: 30, services: 4 });
    const auth = await login(s);
    for (const [what, expected] of [
      ["teams", s.center.roster.teams.map((t) => t.name)],
      ["services", s.center.roster.services.map((x) => x.name)],
      ["agents", s.center.roster.agents.map((a) => a.loginId)],
    ] as const) {
      const list = (await (await call(s, "GET", `/statsapi/cfg/${what}`, auth)).json()) as { id: string; name: string }[];
      expect(list.map((x) => x.name)).toEqual(expected);
      for (const x of list) expect(x.id).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    }
  });
});

describe("subscription limit", () => {
  it("answers 409 when the tenant-wide limit is reached, but lets a client replace its own", async () => {
    const s = await sim({ maxSubscriptions: 2 });
    const [a, b, c] = [await bearer(s), await sessionCookies(s), await bearer(s)];
    expect((await subscribe(s, a, SMALL_SUBSCRIPTION)).status).toBe(200);
    expect((await subscribe(s, b, SMALL_SUBSCRIPTION)).status).toBe(200);
    const refused = await subscribe(s, c, SMALL_SUBSCRIPTION);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error_message: "limit of active subscriptions exceeded for tenant" });
    expect((await subscribe(s, a, SMALL_SUBSCRIPTION)).status).toBe(200);
    await call(s, "DELETE", "/statsapi/subscription/active", b);
    expect((await subscribe(s, c, SMALL_SUBSCRIPTION)).status).toBe(200);
    expect(s.activeSubscriptions()).toBe(2);
  });

  it("stops counting a subscription nobody polls", async () => {
    let clock = 0;
    const s = await sim({ maxSubscriptions: 1, subscriptionIdleSeconds: 60, now: () => clock });
    const [a, b] = [await bearer(s), await bearer(s)];
    await subscribe(s, a, SMALL_SUBSCRIPTION);
    expect((await subscribe(s, b, SMALL_SUBSCRIPTION)).status).toBe(409);
    clock += 60_000;
    expect(s.activeSubscriptions()).toBe(0);
    expect((await subscribe(s, b, SMALL_SUBSCRIPTION)).status).toBe(200);
    expect((await getData(s, a)).status).toBe(404);
  });
});

describe("dispositions and availability", () => {
  it("filters dispositions by each flag given as =1", async () => {
    const s = await sim();
    const auth = await bearer(s);
    const all = (await (await call(s, "GET", "/statsapi/cfg/dispositions", auth)).json()) as { dispositions: string[] };
    expect(all.dispositions).toEqual(s.center.roster.dispositions.map((d) => d.name));
    const picked = (await (await call(s, "GET", "/statsapi/cfg/dispositions?agentCanSelect=1&outbound=1", auth)).json()) as { dispositions: string[] };
    const expected = s.center.roster.dispositions.filter((d) => d.agentCanSelect && d.outbound).map((d) => d.name);
    expect(picked.dispositions).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.dispositions.length);
  });

  it("answers a bare array when dispositionsShape is array", async () => {
    const s = await sim({ dispositionsShape: "array" });
    const body = (await (await call(s, "GET", "/statsapi/cfg/dispositions?inbound=1", await bearer(s))).json()) as string[];
    expect(body).toEqual(s.center.roster.dispositions.filter((d) => d.inbound).map((d) => d.name));
  });

  it("answers check_available_agents without credentials from the ready agents of the service", async () => {
    const s = await sim();
    for (const [index, service] of s.center.roster.services.entries()) {
      const res = await fetch(`${s.url}/statsapi/info/check_available_agents?service=${encodeURIComponent(service.name)}`);
      const ready = s.center.agents.some((a, i) => a.state === "ready" && s.center.roster.agents[i]?.services.includes(index));
      expect(await res.json()).toEqual({ availability: ready });
    }
    expect(await (await fetch(`${s.url}/statsapi/info/check_available_agents?service=Nope`)).json()).toEqual({ availability: false });
    expect((await fetch(`${s.url}/statsapi/info/check_available_agents`)).status).toBe(400);
  });
});

describe("the living contact center", () => {
  it("advances one simulated second per tickMs on its own, and stops when closed", async () => {
    const s = await sim({ tickMs: 10 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(s.center.clock).toBeGreaterThanOrEqual(5);
    await s.close();
    const stopped = s.center.clock;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(s.center.clock).toBe(stopped);
  });

  it("changes the data between polls as time passes", async () => {
    const s = await sim({ warmupPolls: 0 });
    const auth = await bearer(s);
    await subscribe(s, auth, { wb: { agent_grids: [{ id: "a", columns: [{ id: "d", stat_name: "state_duration" }, { id: "t", stat_name: "agent_total_ready_time" }] }] } });
    const before = await (await getData(s, auth)).text();
    s.tick(30);
    expect(await (await getData(s, auth)).text()).not.toBe(before);
  });
});

describe("routing", () => {
  it("answers 404 for unknown paths and 405 for a wrong method, and logs every request", async () => {
    const s = await sim();
    expect((await fetch(`${s.url}/nope`)).status).toBe(404);
    expect((await fetch(`${s.url}/statsapi/subscription`)).status).toBe(405);
    expect(s.requests.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: "GET", path: "/nope", status: 404 },
      { method: "GET", path: "/statsapi/subscription", status: 405 },
    ]);
  });
});

describe("reproducibility", () => {
  const body = {
    wb: {
      stats_totals: ["in_calls_received_per_day", "service_level", "agents_ready"],
      agent_grids: [{ id: "a", columns: [{ id: "l", stat_name: "login_id" }, { id: "s", stat_name: "acd_state" }, { id: "d", stat_name: "state_duration" }] }],
      chat_messages: { limit: 5 },
    },
  };
  async function dataAfter(seed: number, ticks: number): Promise<string> {
    const s = await sim({ seed, startTime: Date.UTC(2026, 0, 5, 9), warmupPolls: 0 });
    s.tick(ticks);
    const auth: Credentials = await bearer(s);
    await subscribe(s, auth, body);
    return (await getData(s, auth)).text();
  }

  it("gives byte-identical data for the same seed and ticks, different data for another seed", async () => {
    const first = await dataAfter(7, 300);
    expect(await dataAfter(7, 300)).toBe(first);
    expect(await dataAfter(8, 300)).not.toBe(first);
    expect(await dataAfter(7, 301)).not.toBe(first);
  });
});
