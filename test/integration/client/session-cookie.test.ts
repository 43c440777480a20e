// The legacy session login when the server's cookie is not kept (its Domain is not the upstream url's host):
// the token from the login answer is sent as the session cookie, and the refused cookie is said, not dropped
// silently. And `discover` / `dispositions` under session auth do not log out (one session per user).
import { type IncomingHttpHeaders, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StatsApiClient } from "../../../src/statsapi/client.js";
import { SUBSCRIPTION, upstreamConfig } from "./upstream-config.js";

let server: Server;
let url: string;
const seen: { path: string; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      seen.push({ path: req.url ?? "", headers: req.headers });
      if (req.url === "/statsapi/auth") {
        res.setHeader("set-cookie", ["X-STATSAPI-TOKEN=tok-123; Domain=bp.example.com; Path=/", "X-STATSAPI-TENANT=t; Domain=bp.example.com; Path=/"]);
        res.setHeader("content-type", "application/json");
        return void res.end('{"token":"tok-123","privileges":[],"user_id":"u"}');
      }
      const cookie = req.headers.cookie ?? "";
      res.writeHead(cookie.includes("X-STATSAPI-TOKEN=tok-123") ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("session login whose cookies carry another Domain", () => {
  it("sends the token from the login answer as the session cookie, and says the server's cookies were not kept", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "warn" }, new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString("utf8")), done()) }));
    const client = new StatsApiClient({ upstream: upstreamConfig(url, "session"), logger });
    try {
      await client.login();
      await expect(client.subscribe(SUBSCRIPTION)).resolves.toBeUndefined();
    } finally {
      await client.close();
    }
    expect(seen.at(-1)?.headers.cookie).toContain("X-STATSAPI-TOKEN=tok-123");
    const text = lines.join("");
    expect(text).toContain("the upstream set a cookie that was not kept");
    expect(text).toContain('"cookie":"X-STATSAPI-TOKEN"');
    expect(text).toContain("sending the token from the login answer as the cookie");
    expect(text).not.toContain("tok-123");
  });
});
