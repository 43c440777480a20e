// HTTPS upstreams: a private CA given as PEM content, no CA (refused), the wrong CA (refused), insecure_skip_verify.
import { readFileSync } from "node:fs";
import { type Server, createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TlsConfig } from "../../../src/config/types.js";
import { StatsApiClient } from "../../../src/statsapi/client.js";
import { rejection } from "./rejection.js";
import { TOKEN_PATH, upstreamConfig } from "./upstream-config.js";

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/tls/${name}`, import.meta.url), "utf8");

describe("HTTPS upstream", () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer({ key: fixture("server.key"), cert: fixture("server.pem") }, (req, res) => {
      req.resume();
      req.on("end", () => {
        res.setHeader("content-type", "application/json");
        if (req.method === "POST" && req.url === TOKEN_PATH) {
          res.end(JSON.stringify({ access_token: "tls-token", token_type: "Bearer", expires_in: "3600" }));
        } else if (req.url === "/statsapi/cfg/teams" && req.headers.authorization === "Bearer tls-token") {
          res.end(JSON.stringify([{ id: 1, name: "Team over TLS" }]));
        } else {
          res.statusCode = 401;
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function withClient<T>(host: string, tls: TlsConfig, run: (client: StatsApiClient) => Promise<T>): Promise<T> {
    const client = new StatsApiClient({ upstream: upstreamConfig(`https://${host}:${port}`, "oauth", { tls }) });
    try {
      return await run(client);
    } finally {
      await client.close();
    }
  }

  it.each(["127.0.0.1", "localhost"])("trusts the server through the CA file (%s)", async (host) => {
    const teams = await withClient(host, { ca: fixture("ca.pem"), insecure_skip_verify: false }, (client) => client.listTeams());
    expect(teams).toEqual([{ id: "1", name: "Team over TLS" }]);
  });

  it.each([
    ["without a CA file", undefined],
    ["with a CA that did not sign the server", "other-ca.pem"],
  ])("refuses the server %s: BP_NETWORK naming the certificate problem", async (_name, ca) => {
    const tls: TlsConfig = { ...(ca === undefined ? {} : { ca: fixture(ca) }), insecure_skip_verify: false };
    const error = await withClient("127.0.0.1", tls, (client) => rejection(client.login()));
    expect(error.code).toBe("BP_NETWORK");
    expect(error.message).toMatch(new RegExp(`^POST ${TOKEN_PATH}: network error: .*certificate`));
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("skips verification when insecure_skip_verify is set", async () => {
    const teams = await withClient("127.0.0.1", { insecure_skip_verify: true }, (client) => client.listTeams());
    expect(teams).toEqual([{ id: "1", name: "Team over TLS" }]);
  });
});
