// No secret (password, client secret, token, cookie values) ever reaches an error message or a log line, even
// when a hostile server echoes everything it was sent.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../../src/simulator/index.js";
import { StatsApiClient } from "../../../src/statsapi/client.js";
import { isStatsApiError } from "../../../src/statsapi/errors.js";
import { type AuthMethod, CLIENT_SECRET, PASSWORD, SUBSCRIPTION, TOKEN_PATH, upstreamConfig } from "./upstream-config.js";
import { readData } from "../../support/data.js";

const TOKEN = "tok-4c1d-very-secret-token";
const COOKIE_VALUE = "cookie-9f8e-session-secret";
const HOSTILE_SECRET = 'hostile secret/77+&="ü';
const HOSTILE_PASSWORD = "hostile-password-88";

/** While true, both login calls fail with a 400 that echoes the login body. */
let rejectLogins = false;

/** Answers every call with what it was sent, in the places a client might copy into a message. */
function echo(req: IncomingMessage, res: ServerResponse, body: string): void {
  const everything = `${req.headers.authorization ?? ""} ${req.headers.cookie ?? ""} ${body}`;
  res.setHeader("content-type", "application/json");
  switch (req.url) {
    case TOKEN_PATH:
      if (rejectLogins) break;
      res.end(JSON.stringify({ access_token: TOKEN, token_type: "Bearer", expires_in: "3600" }));
      return;
    case "/statsapi/auth":
      if (rejectLogins) break;
      res.setHeader("set-cookie", `X-STATSAPI-TOKEN=${COOKIE_VALUE}; Path=/; HttpOnly`);
      res.end(JSON.stringify({ token: TOKEN }));
      return;
    case "/statsapi/subscription":
      res.statusCode = 400;
      res.end(JSON.stringify({ error_code: 1, error_message: `rejected: ${everything}` }));
      return;
    case "/statsapi/cfg/teams":
      res.end(`not json ${everything}`);
      return;
    case "/statsapi/cfg/agents":
      res.statusCode = 400;
      res.end(`plain echo ${everything}`);
      return;
  }
  // Login rejections that echo the login body.
  res.statusCode = 400;
  res.end(JSON.stringify({ error: "invalid_client", error_description: everything, error_message: everything }));
}

describe.each<AuthMethod>(["oauth", "session"])("secrets with %s auth", (method) => {
  let hostile: Server;
  let simulator: Simulator;
  const lines: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => void lines.push(line) });
  const secrets = [TOKEN, COOKIE_VALUE, HOSTILE_SECRET, HOSTILE_PASSWORD, CLIENT_SECRET, PASSWORD];

  beforeAll(async () => {
    hostile = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (body += chunk));
      req.on("end", () => echo(req, res, body));
    });
    await new Promise<void>((resolve) => hostile.listen(0, "127.0.0.1", resolve));
    simulator = await startSimulator({ tickMs: 0, warmupPolls: 0 });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => hostile.close(() => resolve()));
    await simulator.close();
  });

  function hostileClient(): StatsApiClient {
    const url = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
    return new StatsApiClient({
      logger,
      upstream: upstreamConfig(url, method, {
        auth:
          method === "oauth"
            ? { method, client_id: "id", client_secret: HOSTILE_SECRET, token_path: TOKEN_PATH }
            : { method, username: "user", password: HOSTILE_PASSWORD },
      }),
    });
  }

  it("keeps them out of errors when the server echoes the request", async () => {
    const client = hostileClient();
    const messages: string[] = [];
    const attempt = async (call: () => Promise<unknown>): Promise<void> => {
      try {
        await call();
        messages.push("(no error)");
      } catch (error) {
        if (!isStatsApiError(error)) throw error;
        messages.push(error.message, String(error.errorMessage ?? ""), JSON.stringify(error));
      }
    };
    try {
      await client.login();
      await attempt(() => client.subscribe(SUBSCRIPTION));
      await attempt(() => client.listTeams());
      await attempt(() => client.listAgents());
    } finally {
      await client.close();
    }
    expect(messages.join("\n")).toContain("[redacted]"); // the server did echo them
    expect(messages.filter((message) => message === "(no error)")).toEqual([]);
    for (const secret of secrets) expect(messages.join("\n")).not.toContain(secret);
  });

  it("keeps them out of a rejected login's error", async () => {
    const client = hostileClient();
    rejectLogins = true;
    try {
      const error = await client.login().then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      if (!isStatsApiError(error)) throw new Error(`login should fail, got ${String(error)}`);
      expect(error.code).toBe(method === "oauth" ? "BP_LOGIN_REJECTED" : "BP_BAD_REQUEST");
      const text = `${error.message}\n${String(error.errorMessage ?? "")}`;
      for (const secret of secrets) expect(text).not.toContain(secret);
      for (const secret of secrets) expect(text).not.toContain(encodeURIComponent(secret));
    } finally {
      rejectLogins = false;
      await client.close();
    }
  });

  it("keeps them out of the debug logs of a full session against the simulator", async () => {
    const client = new StatsApiClient({ logger, upstream: upstreamConfig(simulator.url, method) });
    try {
      await client.login();
      await client.subscribe(SUBSCRIPTION);
      await readData(client);
      simulator.faults.expireSessions();
      await client.getDataText().catch(() => undefined);
      await client.logout();
    } finally {
      await client.close();
    }
    const log = lines.join("");
    expect(log).toContain('"path":"/statsapi/subscription/data"');
    expect(log).toContain('"status":401');
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/Bearer|X-STATSAPI-TOKEN=|authorization|cookie/i);
  });
});
