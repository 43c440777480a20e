// Several tenants on one simulator: the tenant comes from the OAuth scope or the session tenant_url; each is a
// contact center of its own, reproducible from its name; the request log says which tenant each request was for.
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, simulatedTenantUrls, startSimulator } from "../../../src/simulator/index.js";
import { type Credentials, OAUTH_FORM, SESSION_CREDENTIALS, SMALL_SUBSCRIPTION, call, getData, readData, subscribe } from "./harness.js";

const started: Simulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});
async function sim(tenants: number, maxSubscriptions = 5): Promise<Simulator> {
  const s = await startSimulator({ tickMs: 0, tenants, maxSubscriptions });
  started.push(s);
  return s;
}

async function oauthAs(s: Simulator, scope: string, secret = OAUTH_FORM.client_secret): Promise<{ status: number; auth: Credentials }> {
  const res = await fetch(`${s.url}/configapi/v2/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...OAUTH_FORM, scope, client_secret: secret }).toString(),
  });
  if (res.status !== 200) return { status: res.status, auth: {} };
  return { status: 200, auth: { authorization: `Bearer ${((await res.json()) as { access_token: string }).access_token}` } };
}

async function sessionAs(s: Simulator, tenantUrl: string) {
  const res = await fetch(`${s.url}/statsapi/auth`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...SESSION_CREDENTIALS, tenant_url: tenantUrl }),
  });
  return { cookie: res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") };
}

describe("a simulator with tenants", () => {
  it("names them tenant-01.<base> …, sortable", () => {
    expect(simulatedTenantUrls(3, "sim.local")).toEqual(["tenant-01.sim.local", "tenant-02.sim.local", "tenant-03.sim.local"]);
    expect(simulatedTenantUrls(100, "x").at(-1)).toBe("tenant-100.x");
  });

  it("serves each tenant its own contact center, the same one again from the same name", async () => {
    const a = await sim(3);
    const b = await sim(3);
    const [one, two] = a.tenants;
    const agents = (s: Simulator, t: string) => s.centerOf(t).roster.agents.map((agent) => agent.loginId);
    expect(agents(a, one!)).toEqual(agents(b, one!));
    expect(agents(a, one!)).not.toEqual(agents(a, two!));
    const dataOf = async (s: Simulator, tenant: string) => {
      const { auth } = await oauthAs(s, tenant);
      expect((await subscribe(s, auth, SMALL_SUBSCRIPTION)).status).toBe(200);
      return readData(s, auth);
    };
    expect(await dataOf(a, two!)).toEqual(await dataOf(b, two!));
    expect(await dataOf(a, one!)).not.toEqual(await dataOf(a, two!));
  });

  it("keeps tenants apart: a session cookie of one is no use for another, subscription limits count per tenant", async () => {
    const s = await sim(2, 1);
    const [one, two] = s.tenants;
    const first = await sessionAs(s, one!);
    expect((await subscribe(s, first, SMALL_SUBSCRIPTION)).status).toBe(200);
    const second = await sessionAs(s, two!);
    expect((await subscribe(s, second, SMALL_SUBSCRIPTION)).status).toBe(200); // maxSubscriptions 1 a tenant
    const forged = { cookie: first.cookie.replace(encodeURIComponent(one!), encodeURIComponent(two!)) };
    expect((await getData(s, forged)).status).toBe(401);
    const again = await oauthAs(s, one!);
    expect((await subscribe(s, again.auth, SMALL_SUBSCRIPTION)).status).toBe(409);
  });

  it("refuses a tenant it does not serve, and the single tenant's name once it has tenants", async () => {
    const s = await sim(2);
    expect((await oauthAs(s, "tenant-03.demo.brightpattern.local")).status).toBe(400);
    expect((await oauthAs(s, "demo.brightpattern.local")).status).toBe(400);
  });

  it("logs each request with its tenant, failed logins included", async () => {
    const s = await sim(2);
    const [one, two] = s.tenants;
    const { auth } = await oauthAs(s, one!);
    await subscribe(s, auth, SMALL_SUBSCRIPTION);
    await getData(s, auth);
    await oauthAs(s, two!, "wrong");
    await call(s, "GET", "/statsapi/subscription/data", {});
    expect(s.requests.map((r) => [r.path, r.status, r.tenant])).toEqual([
      ["/configapi/v2/oauth/token", 200, one],
      ["/statsapi/subscription", 200, one],
      ["/statsapi/subscription/data", 204, one],
      ["/configapi/v2/oauth/token", 401, two],
      ["/statsapi/subscription/data", 401, ""],
    ]);
  });
});
