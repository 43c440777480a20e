// Small HTTP helpers for talking to the simulator like a client would (fetch over loopback).
import type { Simulator } from "../../../src/simulator/index.js";

export const TENANT = "demo.brightpattern.local";
export const SESSION_CREDENTIALS = { tenant_url: TENANT, username: "supervisor", password: "demo-password" };
export const OAUTH_FORM = { grant_type: "client_credentials", client_id: "wallboard", client_secret: "demo-secret", scope: TENANT };

/** How a test client authenticates: extra headers to send on every Stats API call. */
export type Credentials = Record<string, string>;

export async function oauthLogin(sim: Simulator, form: Record<string, string> = OAUTH_FORM): Promise<Response> {
  return fetch(`${sim.url}/configapi/v2/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
}

export async function bearer(sim: Simulator): Promise<Credentials> {
  const res = await oauthLogin(sim);
  const body = (await res.json()) as { access_token: string };
  return { authorization: `Bearer ${body.access_token}` };
}

/** Logs in with the session method and returns the cookies as a Cookie header, like a cookie jar would. */
export async function sessionCookies(sim: Simulator): Promise<Credentials> {
  const res = await fetch(`${sim.url}/statsapi/auth`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(SESSION_CREDENTIALS),
  });
  if (res.status !== 200) throw new Error(`session login answered ${res.status}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return { cookie };
}

export async function call(sim: Simulator, method: string, path: string, auth: Credentials, body?: unknown): Promise<Response> {
  return fetch(`${sim.url}${path}`, {
    method,
    headers: { ...auth, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export const subscribe = (sim: Simulator, auth: Credentials, body: unknown) => call(sim, "POST", "/statsapi/subscription", auth, body);
export const getData = (sim: Simulator, auth: Credentials) => call(sim, "GET", "/statsapi/subscription/data", auth);

/** Reads data, skipping the warm-up 204s. */
export async function readData(sim: Simulator, auth: Credentials): Promise<Record<string, Record<string, unknown>>> {
  for (let i = 0; i < 10; i++) {
    const res = await getData(sim, auth);
    if (res.status === 204) continue;
    if (res.status !== 200) throw new Error(`data answered ${res.status}`);
    return (await res.json()) as Record<string, Record<string, unknown>>;
  }
  throw new Error("data stayed 204");
}

export const SMALL_SUBSCRIPTION = {
  wallboard: {
    stats_totals: ["in_calls_waiting", "agents_logged"],
    service_grids: [{ id: "services", columns: [{ id: "name", stat_name: "name" }, { id: "waiting", stat_name: "in_calls_waiting" }] }],
  },
};
