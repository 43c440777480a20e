// The real CLI against a hostile upstream that echoes every request (body, Authorization, Cookie) into its
// error answers, through every failure the daemon logs or shows: login 401/403/500, subscribe 400, data
// 400/401, a bad config on reload, the landing page's last error and /metrics. The recognisable password,
// client secret, minted token and cookie must appear nowhere: not in JSON or pretty logs at trace level,
// not on stdout, not in any page the exporter serves.
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { type CliProcess, killCli, listeningUrl, runCli, startCli, tempConfig } from "../../support/cli.js";
import { eventually } from "../../support/eventually.js";

const PASSWORD = "S3CRET-pa55-XYZ";
const CLIENT_SECRET = "S3CRET-cl13nt-QRS";
const TOKEN = "TOK3N-minted-by-upstream-7781";
const COOKIE_VALUE = "C00KIE-session-value-4242";
const TOKEN_PATH = "/configapi/v2/oauth/token";
const SESSION_PATH = "/statsapi/auth";

/** Every form a secret could be written in: raw, URL/form-encoded, base64 (e.g. inside a Basic header). */
function needles(...secrets: string[]): string[] {
  return secrets.flatMap((secret) => [secret, encodeURIComponent(secret), Buffer.from(secret).toString("base64")]);
}
const NEEDLES = needles(PASSWORD, CLIENT_SECRET, TOKEN, COOKIE_VALUE);

type Phase = "login-401" | "login-500" | "login-403" | "subscribe-400" | "data-400" | "data-401" | "cfg-400";

/** An upstream that fails as `phase` says, echoing all it was sent; logins succeed outside the login phases. */
class HostileUpstream {
  phase: Phase = "login-401";
  readonly seen: { phase: Phase; path: string }[] = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => this.answer(req, res, body));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Waits until `count` requests were answered in the current phase. */
  async played(count: number): Promise<void> {
    const phase = this.phase;
    await eventually(() => (this.seen.filter((entry) => entry.phase === phase).length >= count ? true : undefined), 10_000, `phase ${phase}`);
  }

  private answer(req: IncomingMessage, res: ServerResponse, body: string): void {
    const path = (req.url ?? "").split("?")[0] ?? "";
    this.seen.push({ phase: this.phase, path });
    const echo = `headers=${JSON.stringify(req.headers)} body=${body}`;
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(payload));
    };
    const isLogin = path === TOKEN_PATH || (path === SESSION_PATH && req.method === "POST");
    if (isLogin) {
      if (this.phase === "login-401") return send(401, { error: "invalid_client", error_description: echo, error_message: echo });
      if (this.phase === "login-500") return send(500, { error: echo, error_message: echo });
      if (this.phase === "login-403") return send(403, { error: `illegal login attempt ${echo}` });
      if (path === TOKEN_PATH) return send(200, { access_token: TOKEN, token_type: "Bearer", expires_in: 3600 });
      return send(200, { token: TOKEN }, { "set-cookie": `X-STATSAPI-TOKEN=${COOKIE_VALUE}; Path=/; HttpOnly` });
    }
    if (path === "/statsapi/subscription" && req.method === "POST") {
      if (this.phase === "subscribe-400") return send(400, { error_code: 1001, error_message: `rejected: ${echo}` });
      res.writeHead(200).end();
      return;
    }
    if (path === "/statsapi/subscription/data") {
      if (this.phase === "data-400") return send(400, { error_code: 1002, error_message: `bad poll: ${echo}` });
      if (this.phase === "data-401") return send(401, { error: `expired ${echo}`, error_message: echo });
      return send(200, {});
    }
    if (path.startsWith("/statsapi/cfg/") && this.phase === "cfg-400") return send(400, { error_code: 1003, error_message: `no: ${echo}` });
    send(200, {});
  }
}

function configYaml(url: string, auth: string, extra = ""): string {
  return `upstream:
  url: ${url}
  tenant_url: demo.brightpattern.local
  timeout: 1s
  auth:
${auth}
poll:
  interval: 100ms
  max_backoff: 300ms
  stale_after: 30s
web:
  listen_address: "127.0.0.1:0"
subscription:
  apps:
    - app_id: wallboard
      stats_totals: [in_calls_waiting]
${extra}`;
}

const OAUTH = `    method: oauth
    client_id: wallboard
    client_secret: "${CLIENT_SECRET}"`;
const SESSION = `    method: session
    username: supervisor
    password: "${PASSWORD}"`;

function expectNoSecret(where: string, text: string): void {
  for (const needle of NEEDLES) {
    if (text.includes(needle)) throw new Error(`${where} contains a secret (${needle.slice(0, 4)}…): ${text.slice(Math.max(0, text.indexOf(needle) - 200), text.indexOf(needle) + 50)}`);
  }
}

let upstream: HostileUpstream | undefined;
let child: CliProcess | undefined;
afterEach(async () => {
  await killCli(child);
  child = undefined;
  await upstream?.close();
  upstream = undefined;
});

describe.each([
  { method: "oauth", auth: OAUTH, format: "json", logins: ["login-401", "login-500"] as Phase[] },
  { method: "session", auth: SESSION, format: "pretty", logins: ["login-401", "login-500", "login-403"] as Phase[] },
])("secrets with $method auth and $format logs at trace level", ({ auth, format, logins }) => {
  it("stay out of logs, stdout, /metrics and the landing page through every failure", async () => {
    upstream = new HostileUpstream();
    const url = await upstream.start();
    const configPath = await tempConfig(configYaml(url, auth));
    const cli = startCli(["--config", configPath, "--log-level", "trace", "--log-format", format]);
    child = cli;
    const exporterUrl = await eventually(() => listeningUrl(cli.output().stderr), 15_000, "the listening line");
    const pages: [string, string][] = [];
    const capture = async (path: string) => pages.push([path, await (await request(`${exporterUrl}${path}`)).body.text()]);

    for (const phase of [...logins, "subscribe-400", "data-400", "data-401"] as Phase[]) {
      upstream.phase = phase;
      await upstream.played(2);
      await capture("/");
      await capture("/metrics");
    }
    // The landing page shows the last error (the echoed 400/401), scrubbed.
    expect(pages.at(-2)?.[1]).toMatch(/Last error/);
    expect(pages.map(([, text]) => text).join("\n")).toMatch(/unauthorized|bad_request/);

    // A reload of a broken config with the secret inline: the problems are logged, never the secret.
    await writeFile(configPath, `${configYaml(url, auth).replace("interval: 100ms", "interval: whenever")}\n  bogus: "${PASSWORD} ${CLIENT_SECRET}"\n`);
    cli.kill("SIGHUP");
    await eventually(() => (cli.output().stderr.includes("config reload failed") ? true : undefined), 10_000, "the reload failure line");

    cli.kill("SIGTERM");
    const [code] = (await once(cli, "exit")) as [number | null];
    expect(code).toBe(0);
    const { stdout, stderr } = cli.output();
    // The logs did record the failures (else this test would prove nothing).
    expect(stderr).toMatch(/login rejected/);
    expect(stderr).toMatch(/rejected the subscription/);
    // The echoes did reach the messages, with each secret cut out.
    expect(`${stderr}${pages.map(([, text]) => text).join("")}`).toMatch(/headers=.*\[redacted\]/);
    expectNoSecret("stderr", stderr);
    expectNoSecret("stdout", stdout);
    for (const [path, text] of pages) expectNoSecret(`GET ${path}`, text);
  });
});

describe.each([
  { method: "oauth", auth: OAUTH },
  { method: "session", auth: SESSION },
])("discover and dispositions with $method auth", ({ auth }) => {
  it.each<Phase>(["login-401", "login-500", "cfg-400"])("report a %s without the secrets", async (phase) => {
    upstream = new HostileUpstream();
    const configPath = await tempConfig(configYaml(await upstream.start(), auth));
    upstream.phase = phase;
    for (const command of ["discover", "dispositions"]) {
      const result = await runCli([command, "--config", configPath, "--log-level", "trace"]);
      expect(result.code).toBe(1);
      // The echo shows where the client passes the server's message on (400), else the status is named.
      expect(result.stderr).toMatch(phase === "cfg-400" ? /\[redacted\]/ : phase === "login-401" ? /401/ : /500/);
      expectNoSecret(`${command} stderr`, result.stderr);
      expectNoSecret(`${command} stdout`, result.stdout);
    }
  });
});

// Each case only runs the CLI to its end, so they run side by side.
describe.concurrent("a config error with the secret inline", () => {
  const broken: [string, (auth: string) => string][] = [
    ["a YAML syntax error on the secret's line", (auth) => auth.replace(`"${CLIENT_SECRET}"`, `"${CLIENT_SECRET}`)],
    ["the secret under a misspelt key", (auth) => auth.replace("client_secret:", "client_secrte:")],
    ["the secret where a number belongs", (auth) => `${auth}\n    token_path: 5\n  timeout: "${CLIENT_SECRET}"`],
    ["a password under oauth", (auth) => `${auth}\n    password: "${PASSWORD}"`],
    ["the secret twice (a duplicate key)", (auth) => `${auth}\n    client_secret: "${CLIENT_SECRET}"`],
    ["the secret in a bad indentation", (auth) => `${auth}\n      client_secret: "${CLIENT_SECRET}"`],
  ];
  it("credentials in upstream.url are reported without the password", async () => {
    const configPath = await tempConfig(configYaml(`http://supervisor:${PASSWORD}@127.0.0.1:9`, OAUTH));
    const result = await runCli(["check-config", configPath]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/upstream\.url/);
    expectNoSecret("check-config stderr", result.stderr);
  });

  it.each(broken)("%s is reported without the secret (check-config and run)", async (_name, breakIt) => {
    const configPath = await tempConfig(configYaml("http://127.0.0.1:9", breakIt(OAUTH)));
    for (const args of [["check-config", configPath], ["--config", configPath, "--log-level", "trace"]]) {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(result.stderr.length).toBeGreaterThan(10);
      expectNoSecret(`${args[0]} stderr`, result.stderr);
      expectNoSecret(`${args[0]} stdout`, result.stdout);
    }
  });
});
