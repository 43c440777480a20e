// Answers the simulator does not give: oversized error bodies, an empty chunked 200 with no content type.
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StatsApiClient } from "../../../src/statsapi/client.js";
import { rejection } from "./rejection.js";
import { SUBSCRIPTION, upstreamConfig } from "./upstream-config.js";

describe("answer bodies beyond the simulator", () => {
  let server: Server;
  let client: StatsApiClient;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        if (req.url === "/configapi/v2/oauth/token") {
          res.setHeader("content-type", "application/json");
          res.end('{"access_token":"t","expires_in":"3600"}');
        } else if (req.url === "/statsapi/subscription") {
          // The real server's created answer: 200, chunked, no content type, nothing in it.
          res.removeHeader("content-type");
          res.write("");
          res.end();
        } else if (req.url === "/statsapi/cfg/teams") {
          res.statusCode = 400;
          res.end(`{"error_code":7,"error_message":"${"x".repeat(300)}","padding":"${"p".repeat(2 * 1024 * 1024)}"}`);
        } else {
          res.statusCode = 502;
          res.end("e".repeat(4 * 1024 * 1024));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = new StatsApiClient({ upstream: upstreamConfig(url, "oauth"), maxBodyBytes: 1024 });
  });

  afterAll(async () => {
    await client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("takes an empty chunked 200 without a content type as a created subscription", async () => {
    await expect(client.subscribe(SUBSCRIPTION)).resolves.toBeUndefined();
  });

  it("still reports a 400 as BP_BAD_REQUEST when its body is huge (cut short, not 'too large')", async () => {
    const error = await rejection(client.listTeams());
    expect(error.code).toBe("BP_BAD_REQUEST");
    // The body was cut before its end: not JSON any more, so the message shows its start (one line, 200 chars).
    expect(error.message).toMatch(/^GET \/statsapi\/cfg\/teams: bad request \(400\): \{"error_code":7,.{150,}…$/);
  });

  it("reports a 5xx with a huge body as BP_UPSTREAM without reading it all, and the connection stays usable", async () => {
    const error = await rejection(client.getDataText());
    expect(error.code).toBe("BP_UPSTREAM");
    expect(error.status).toBe(502);
    await expect(client.subscribe(SUBSCRIPTION)).resolves.toBeUndefined();
  });
});
