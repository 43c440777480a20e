// A cookie flood from the upstream (issue #12 item 2): 50 new cookies with every answer made the Cookie header
// pass 16 KB after two answers, and every later call got 431. The jar is bounded in count and size per
// upstream (the oldest cookies, e.g. the session's, are kept) and emptied by a new login.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { StatsApiClient } from "../../../src/statsapi/client.js";
import { MAX_COOKIE_BYTES, MAX_COOKIES } from "../../../src/statsapi/cookie-bounds.js";
import { type AuthMethod, TOKEN_PATH, upstreamConfig } from "./upstream-config.js";

let server: http.Server | undefined;
let client: StatsApiClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** An upstream that sets 50 new cookies with each data answer, and records the Cookie header of each request. */
async function floodingUpstream() {
  const received: { path: string; cookie: string }[] = [];
  let answer = 0;
  server = http.createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0]!;
    received.push({ path, cookie: req.headers.cookie ?? "" });
    if (path === TOKEN_PATH) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: "t0ken-1234", token_type: "Bearer", expires_in: 3600 }));
      return;
    }
    if (path === "/statsapi/auth") {
      res.writeHead(200, { "content-type": "application/json", "set-cookie": "SESSION=s3ssion; Path=/; HttpOnly" }).end("{}");
      return;
    }
    answer++;
    const cookies = Array.from({ length: 50 }, (_, i) => `flood${answer}_${i}=${"v".repeat(150)}; Path=/`);
    res.writeHead(200, { "content-type": "application/json", "set-cookie": answer === 1 ? ["LB=node-7; Path=/", ...cookies] : cookies }).end("{}");
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe("a cookie flood from the upstream", () => {
  for (const method of ["oauth", "session"] as AuthMethod[]) {
    it(`keeps the jar bounded and every call working (${method})`, async () => {
      const upstream = await floodingUpstream();
      client = new StatsApiClient({ upstream: upstreamConfig(upstream.url, method) });
      await client.login();
      for (let i = 0; i < 6; i++) expect(await client.getDataText()).toBe("{}");
      const sent = upstream.received.filter((r) => r.path === "/statsapi/subscription/data").map((r) => r.cookie);
      for (const cookie of sent) {
        expect(Buffer.byteLength(cookie)).toBeLessThanOrEqual(MAX_COOKIE_BYTES);
        expect(cookie === "" ? 0 : cookie.split("; ").length).toBeLessThanOrEqual(MAX_COOKIES);
      }
      // The oldest cookies stay: the session's and the load balancer's.
      expect(sent.at(-1)).toContain("LB=node-7");
      if (method === "session") expect(sent.at(-1)).toContain("SESSION=s3ssion");
    });

    it(`empties the jar on a new login (${method})`, async () => {
      const upstream = await floodingUpstream();
      client = new StatsApiClient({ upstream: upstreamConfig(upstream.url, method) });
      await client.login();
      await client.getDataText();
      await client.login();
      const login = upstream.received.at(-1)!;
      expect(login.path).toBe(method === "oauth" ? TOKEN_PATH : "/statsapi/auth");
      expect(login.cookie).toBe("");
    });
  }
});
