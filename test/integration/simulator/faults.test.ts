// Each fault hook over real HTTP: what the client sees, and that it stops once consumed.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../../src/simulator/index.js";
import { type Credentials, SMALL_SUBSCRIPTION, bearer, call, getData, sessionCookies, subscribe } from "./harness.js";

const DATA = "/statsapi/subscription/data";
let s: Simulator;
let auth: Credentials;

beforeEach(async () => {
  s = await startSimulator({ tickMs: 0, warmupPolls: 0 });
  auth = await bearer(s);
  expect((await subscribe(s, auth, SMALL_SUBSCRIPTION)).status).toBe(200);
});
afterEach(async () => {
  await s.close();
});

describe("faults", () => {
  it("expireSessions makes every token and session answer 401 until the client logs in again", async () => {
    const session = await sessionCookies(s);
    s.faults.expireSessions();
    expect((await getData(s, auth)).status).toBe(401);
    expect((await call(s, "GET", "/statsapi/cfg/teams", session)).status).toBe(401);
    expect(s.activeSubscriptions()).toBe(0);
    const again = await bearer(s);
    expect((await call(s, "GET", "/statsapi/cfg/teams", again)).status).toBe(200);
  });

  it("dropSubscriptions makes data answer 404 until the next subscribe", async () => {
    s.faults.dropSubscriptions();
    expect((await getData(s, auth)).status).toBe(404);
    expect((await getData(s, auth)).status).toBe(404);
    await subscribe(s, auth, SMALL_SUBSCRIPTION);
    expect((await getData(s, auth)).status).toBe(200);
  });

  it("breakSessions makes every current token and session answer 500 until the client logs in again", async () => {
    const session = await sessionCookies(s);
    s.faults.breakSessions();
    expect((await getData(s, auth)).status).toBe(500);
    expect((await getData(s, auth)).status).toBe(500);
    expect((await subscribe(s, auth, SMALL_SUBSCRIPTION)).status).toBe(500);
    expect((await call(s, "GET", "/statsapi/cfg/teams", session)).status).toBe(500);
    const again = await bearer(s);
    expect((await subscribe(s, again, SMALL_SUBSCRIPTION)).status).toBe(200);
    expect((await getData(s, again)).status).toBe(200);
  });

  it("setPrivileges: a missing privilege answers 403 naming it, on subscribe or on every call; reset restores them", async () => {
    s.faults.setPrivileges(["Access Realtime Stats API", "View real-time agent metrics"]);
    const refused = await subscribe(s, auth, SMALL_SUBSCRIPTION);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: "insufficient privileges: View real-time service metrics" });
    expect((await getData(s, auth)).status).toBe(200); // the subscription made before still answers
    s.faults.setPrivileges([]);
    expect((await getData(s, auth)).status).toBe(403);
    expect((await call(s, "GET", "/statsapi/cfg/teams", auth)).status).toBe(403);
    s.faults.reset();
    expect((await getData(s, auth)).status).toBe(200);
  });

  it("failNext answers the status count times, on the given path only", async () => {
    s.faults.failNext(2, 503, DATA);
    expect((await call(s, "GET", "/statsapi/cfg/teams", auth)).status).toBe(200);
    expect((await getData(s, auth)).status).toBe(503);
    expect((await getData(s, auth)).status).toBe(503);
    expect((await getData(s, auth)).status).toBe(200);
    s.faults.failNext(1);
    expect((await call(s, "GET", "/statsapi/cfg/teams", auth)).status).toBe(500);
    expect((await call(s, "GET", "/statsapi/cfg/teams", auth)).status).toBe(200);
  });

  it("setDelay delays every answer", async () => {
    s.faults.setDelay(800);
    const started = performance.now();
    expect((await getData(s, auth)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(790);
    s.faults.setDelay(0);
    const again = performance.now();
    await getData(s, auth);
    expect(performance.now() - again).toBeLessThan(700);
  });

  it("malformedNext answers 200 with broken JSON, then good JSON", async () => {
    s.faults.malformedNext(1);
    const bad = await getData(s, auth);
    expect(bad.status).toBe(200);
    const text = await bad.text();
    expect(text.startsWith('{"wallboard":')).toBe(true);
    expect(() => JSON.parse(text) as unknown).toThrow();
    const good = await (await getData(s, auth)).text();
    expect(() => JSON.parse(good) as unknown).not.toThrow();
  });

  it("truncateNext announces the full length, sends half and closes the connection", async () => {
    s.faults.truncateNext(1);
    const res = await getData(s, auth);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect((await getData(s, auth)).status).toBe(200);
  });

  it("resetNext destroys the socket without an answer and logs status 0", async () => {
    s.faults.resetNext(1);
    await expect(getData(s, auth)).rejects.toThrow();
    expect(s.requests.at(-1)).toMatchObject({ method: "GET", path: DATA, status: 0 });
    expect((await getData(s, auth)).status).toBe(200);
  });

  it("resetNext can target another path", async () => {
    s.faults.resetNext(1, "/configapi/v2/oauth/token");
    await expect(bearer(s)).rejects.toThrow();
    expect((await getData(s, auth)).status).toBe(200);
  });

  it("hugeNext answers valid JSON of the requested size: the real data padded with spaces", async () => {
    const normal = JSON.parse(await (await getData(s, auth)).text()) as unknown;
    s.faults.hugeNext(1, 3 * 1024 * 1024);
    const text = await (await getData(s, auth)).text();
    expect(Buffer.byteLength(text)).toBe(3 * 1024 * 1024);
    expect(JSON.parse(text)).toEqual(normal);
    expect(Buffer.byteLength(await (await getData(s, auth)).text())).toBeLessThan(10_000);
  });

  it("bloatedNext answers valid JSON of the requested size, chunked: the real data plus a padding list of small objects", async () => {
    const normal = JSON.parse(await (await getData(s, auth)).text()) as Record<string, unknown>;
    s.faults.bloatedNext(1, 3 * 1024 * 1024 + 5);
    const res = await getData(s, auth);
    expect(res.headers.get("content-length")).toBeNull();
    const text = await res.text();
    expect(Buffer.byteLength(text)).toBe(3 * 1024 * 1024 + 5);
    const { padding, ...rest } = JSON.parse(text) as Record<string, unknown>;
    expect(rest).toEqual(normal);
    expect((padding as unknown[]).length).toBeGreaterThan(300_000);
    expect(Buffer.byteLength(await (await getData(s, auth)).text())).toBeLessThan(10_000);
    s.faults.bloatedNext(1, 1024 * 1024, "[]");
    const arrays = JSON.parse(await (await getData(s, auth)).text()) as { padding: unknown[] };
    expect(arrays.padding.slice(0, 2)).toEqual([[], []]);
  });

  it("forceSubscriptionLimit answers 409 while on", async () => {
    s.faults.forceSubscriptionLimit(true);
    expect((await subscribe(s, auth, SMALL_SUBSCRIPTION)).status).toBe(409);
    s.faults.forceSubscriptionLimit(false);
    expect((await subscribe(s, auth, SMALL_SUBSCRIPTION)).status).toBe(200);
  });

  it("reset clears every pending fault", async () => {
    s.faults.failNext(5);
    s.faults.malformedNext(5);
    s.faults.resetNext(5);
    s.faults.setDelay(2000);
    s.faults.forceSubscriptionLimit(true);
    s.faults.forbidSessionLogin(true);
    s.faults.reset();
    expect((await getData(s, auth)).status).toBe(200);
    expect((await subscribe(s, auth, SMALL_SUBSCRIPTION)).status).toBe(200);
    await sessionCookies(s);
  });

  it("rejects a negative or fractional count", () => {
    expect(() => s.faults.failNext(-1)).toThrow(/failNext/);
    expect(() => s.faults.hugeNext(1, 1.5)).toThrow(/hugeNext/);
    expect(() => s.faults.bloatedNext(1, -1)).toThrow(/bloatedNext/);
    expect(() => s.faults.bloatedNext(1, 100, "{")).toThrow();
  });

  it("logs every answered request with method, path and status", async () => {
    const before = s.requests.length;
    s.faults.failNext(1, 502, DATA);
    await getData(s, auth);
    await getData(s, auth);
    expect(s.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`GET ${DATA} 502`, `GET ${DATA} 200`]);
  });
});

describe("subscriptionBinding", () => {
  let sim: Simulator;
  afterEach(async () => {
    await sim.close();
  });

  it('"token" (default): a new token of the same user starts without a subscription', async () => {
    sim = await startSimulator({ tickMs: 0, warmupPolls: 0 });
    const first = await bearer(sim);
    expect((await subscribe(sim, first, SMALL_SUBSCRIPTION)).status).toBe(200);
    const refreshed = await bearer(sim);
    expect((await getData(sim, refreshed)).status).toBe(404);
    expect((await getData(sim, first)).status).toBe(200);
  });

  it('"user": the subscription survives a token refresh, and a second client of the same user replaces it', async () => {
    sim = await startSimulator({ tickMs: 0, warmupPolls: 0, subscriptionBinding: "user" });
    const first = await bearer(sim);
    expect((await subscribe(sim, first, SMALL_SUBSCRIPTION)).status).toBe(200);
    const refreshed = await bearer(sim);
    expect((await getData(sim, refreshed)).status).toBe(200);
    expect(sim.activeSubscriptions()).toBe(1);
    // Another exporter with the same user: delete the active one (ours), subscribe its own.
    const other = await bearer(sim);
    expect((await call(sim, "DELETE", "/statsapi/subscription/active", other)).status).toBe(200);
    expect((await getData(sim, first)).status).toBe(404);
    expect((await subscribe(sim, other, { other: { stats_totals: ["agents_logged"] } })).status).toBe(200);
    const data = (await (await getData(sim, first)).json()) as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(["other"]);
    expect(sim.activeSubscriptions()).toBe(1);
  });
});

describe("oneSubscriptionPerUser", () => {
  it("a subscribe by one client of the user ends the subscriptions of its other clients", async () => {
    const sim = await startSimulator({ tickMs: 0, warmupPolls: 0, oneSubscriptionPerUser: true });
    try {
      const [first, second] = [await bearer(sim), await bearer(sim)];
      expect((await subscribe(sim, first, SMALL_SUBSCRIPTION)).status).toBe(200);
      expect((await subscribe(sim, second, SMALL_SUBSCRIPTION)).status).toBe(200);
      expect((await getData(sim, first)).status).toBe(404);
      expect((await getData(sim, second)).status).toBe(200);
      expect(sim.activeSubscriptions()).toBe(1);
    } finally {
      await sim.close();
    }
  });
});
