// What goes over the wire, checked against a recording server, and answers the simulator does not give
// (an empty chunked 200 without a content type, oversized error bodies).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { StatsApiClient } from "../../../src/statsapi/client.js";
import { type RecordedRequest, type RecordingServer, startRecordingServer } from "../../support/recording-server.js";
import { rejection } from "./rejection.js";
import { type AuthMethod, SUBSCRIPTION, TENANT, TOKEN_PATH, upstreamConfig } from "./upstream-config.js";

describe("the wire format", () => {
  let recorder: RecordingServer;
  let url: string;
  let seen: RecordedRequest[];

  beforeAll(async () => {
    recorder = await startRecordingServer(({ path, url: requested }, res) => {
      if (path === TOKEN_PATH) {
        res.setHeader("content-type", "application/json");
        res.end('{"access_token":"wire-token","expires_in":"3600"}');
      } else if (path === "/statsapi/auth") {
        res.setHeader("set-cookie", ["X-STATSAPI-TOKEN=abc; Path=/; HttpOnly", "X-STATSAPI-TENANT=t; Path=/statsapi"]);
        res.end('{"token":"abc","privileges":[],"user_id":"u"}');
      } else if (path === "/statsapi/subscription") {
        // The real server's created answer: 200, chunked, no content type, nothing in it.
        res.removeHeader("content-type");
        res.write("");
        res.end();
      } else if (path === "/statsapi/cfg/dispositions") {
        res.end(JSON.stringify({ dispositions: [new URL(requested, "http://x").search] }));
      } else if (path === "/statsapi/cfg/services") {
        res.end('\uFEFF[{"id":"s1","name":"Sales"}]');
      } else if (path === "/statsapi/cfg/teams") {
        res.statusCode = 400;
        res.end(`{"error_code":7,"error_message":"${"x".repeat(300)}","padding":"${"p".repeat(2 * 1024 * 1024)}"}`);
      } else {
        res.statusCode = 502;
        res.end("e".repeat(4 * 1024 * 1024));
      }
    });
    ({ url, seen } = recorder);
  });

  beforeEach(() => {
    seen.length = 0;
  });

  afterAll(() => recorder.close());

  async function withClient(method: AuthMethod, run: (client: StatsApiClient) => Promise<void>): Promise<void> {
    const client = new StatsApiClient({ upstream: upstreamConfig(url, method), maxBodyBytes: 1024 });
    try {
      await run(client);
    } finally {
      await client.close();
    }
  }

  it("OAuth: a form-encoded client-credentials request scoped to the tenant, then Bearer on every call", async () => {
    await withClient("oauth", async (client) => {
      await client.login();
      await client.subscribe(SUBSCRIPTION);
    });
    const [token, subscribe] = seen;
    expect(token?.method).toBe("POST");
    expect(token?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(token?.body))).toEqual({
      grant_type: "client_credentials",
      client_id: "wallboard",
      client_secret: "demo-secret",
      scope: TENANT,
    });
    expect(subscribe?.headers.authorization).toBe("Bearer wire-token");
    expect(subscribe?.headers["content-type"]).toBe("application/json;charset=UTF-8");
    expect(JSON.parse(subscribe?.body ?? "")).toEqual(SUBSCRIPTION);
  });

  it("session: a JSON login, then the cookies for each path (and no Authorization header)", async () => {
    await withClient("session", async (client) => {
      await client.login();
      await client.subscribe(SUBSCRIPTION);
      await client.logout();
    });
    const [login, subscribe, logout] = seen;
    expect(login?.headers["content-type"]).toBe("application/json;charset=UTF-8");
    expect(JSON.parse(login?.body ?? "")).toEqual({ tenant_url: TENANT, username: "supervisor", password: "demo-password" });
    // RFC 6265 §5.4: longer paths first.
    expect(subscribe?.headers.cookie).toBe("X-STATSAPI-TENANT=t; X-STATSAPI-TOKEN=abc");
    expect(subscribe?.headers.authorization).toBeUndefined();
    expect(`${logout?.method} ${logout?.url}`).toBe("DELETE /statsapi/auth");
  });

  it("sends the disposition flags given, as 1 and 0", async () => {
    await withClient("oauth", async (client) => {
      expect(await client.getDispositions()).toEqual([""]);
      expect(await client.getDispositions({ agentCanSelect: true, outbound: false })).toEqual(["?agentCanSelect=1&outbound=0"]);
    });
  });

  it("reads a JSON body that starts with a byte order mark", async () => {
    await withClient("oauth", async (client) => {
      expect(await client.listServices()).toEqual([{ id: "s1", name: "Sales" }]);
    });
  });

  it("takes an empty chunked 200 without a content type as a created subscription", async () => {
    await withClient("oauth", async (client) => {
      await expect(client.subscribe(SUBSCRIPTION)).resolves.toBeUndefined();
    });
  });

  it("still reports a 400 as BP_BAD_REQUEST when its body is huge (cut short, not 'too large')", async () => {
    await withClient("oauth", async (client) => {
      const error = await rejection(client.listTeams());
      expect(error.code).toBe("BP_BAD_REQUEST");
      // Cut before its end, the body is not JSON any more: the message shows its start (one line, 200 chars).
      expect(error.message).toMatch(/^GET \/statsapi\/cfg\/teams: bad request \(400\): \{"error_code":7,.{150,}…$/);
    });
  });

  it("reports a 5xx with a huge body as BP_UPSTREAM without reading it all, and carries on", async () => {
    await withClient("oauth", async (client) => {
      const error = await rejection(client.getDataText());
      expect(error.code).toBe("BP_UPSTREAM");
      expect(error.status).toBe(502);
      await expect(client.subscribe(SUBSCRIPTION)).resolves.toBeUndefined();
    });
  });
});
