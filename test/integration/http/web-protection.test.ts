// The web config against the real server: createApp + listen from src/server.ts, real TLS clients (node:https).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TLSSocket } from "node:tls";
import express from "express";
import pino from "pino";
import { request } from "undici";
import { afterEach, describe, expect, it, vi } from "vitest";
import { prepareStatistics } from "../../../src/exposition/prepared-statistics.js";
import { type RunningServer, createApp, listen } from "../../../src/http/server.js";
import type { BasicAuthOptions } from "../../../src/http/basic-auth.js";
import { loadWebConfig } from "../../../src/http/web-config.js";
import { responseHeaders } from "../../../src/http/headers.js";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/web");
const pem = (name: string) => readFileSync(join(FIXTURES, name), "utf8");
const CA = pem("ca.pem");
const STATISTICS = 'brightpattern_in_calls_waiting{app_id="w"} 3\n';

let running: RunningServer | undefined;
const tempDirs: string[] = [];
afterEach(async () => {
  await running?.close();
  running = undefined;
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The exporter's app protected as the web config says, listening on 127.0.0.1. Headers are mounted in front, as suggested to the lead. */
async function serve(webConfigPath: string, basicAuth?: BasicAuthOptions): Promise<string> {
  const web = await loadWebConfig(webConfigPath, basicAuth && { basicAuth });
  const prepared = await prepareStatistics(STATISTICS);
  const app = createApp({
    metricsPath: "/metrics",
    statistics: () => prepared,
    selfMetrics: async () => "brightpattern_up 1\n",
    status: () => ({ version: "1.2.3", upstreamUrl: "https://bp.example.com", tenantUrl: "t", authMethod: "oauth", state: "polling", ready: true, series: 1 }),
    reload: async () => ({ ok: true, message: "reloaded" }),
    logger: pino({ level: "silent" }),
    ...(web.guard && { guard: web.guard }),
  });
  const outer = express();
  if (web.headers) outer.use(responseHeaders(web.headers));
  outer.use(app);
  running = await listen(outer, "127.0.0.1:0", web.tls);
  return running.url.replace("127.0.0.1", "localhost");
}

/** A web config file in a temporary folder, naming the fixture PKI by absolute path. */
function webConfigFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "web-config-"));
  tempDirs.push(dir);
  const path = join(dir, "web.yml");
  writeFileSync(path, text.replaceAll("FIXTURES", FIXTURES));
  return path;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  cipher: string;
  protocol: string | null;
}

/** One request on a fresh TLS connection (no agent reuse, so each case's TLS options apply). */
function get(url: string, options: https.RequestOptions & { auth?: string } = {}): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    const req = https.request(url, { ca: CA, agent: false, ...options }, (res) => {
      const socket = res.socket as TLSSocket;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolvePromise({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          cipher: socket.getCipher().name,
          protocol: socket.getProtocol(),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

const TLS_AUTH = join(FIXTURES, "tls-basic-auth.yml");

describe("TLS with basic auth", () => {
  it("serves /metrics over TLS to a user with the right password, with the configured headers", async () => {
    const url = await serve(TLS_AUTH);
    expect(url).toMatch(/^https:\/\/localhost:\d+$/);
    const answer = await get(`${url}/metrics`, { auth: "alice:alice-password" });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(`${STATISTICS}brightpattern_up 1\n`);
    expect(answer.headers["strict-transport-security"]).toBe("max-age=31536000");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    expect(answer.headers["x-frame-options"]).toBeUndefined();
    expect((await get(`${url}/metrics`, { auth: "bob:bob-secret" })).status).toBe(200);
  });

  it.each([
    ["no credentials", undefined],
    ["a wrong password", "alice:bob-secret"],
    ["an unknown user", "mallory:alice-password"],
    ["an empty password", "alice:"],
  ])("answers 401 with a Basic challenge for %s", async (_name, auth) => {
    const url = await serve(TLS_AUTH);
    const answer = await get(`${url}/metrics`, auth === undefined ? {} : { auth });
    expect(answer.status).toBe(401);
    expect(answer.headers["www-authenticate"]).toBe('Basic realm="brightpattern-exporter"');
    expect(answer.body).not.toContain("brightpattern_in_calls_waiting");
    // Security headers go on refusals too.
    expect(answer.headers["strict-transport-security"]).toBe("max-age=31536000");
  });

  it("answers 429 with Retry-After when too many password checks wait, while a verified scraper goes on", async () => {
    let release: (() => void) | undefined;
    const url = await serve(TLS_AUTH, {
      maxWaiting: 1,
      compare: async (password) => {
        if (password === "alice-password") return true;
        await new Promise<void>((resolveGate) => (release = resolveGate));
        return false;
      },
    });
    expect((await get(`${url}/metrics`, { auth: "alice:alice-password" })).status).toBe(200);
    const slow = get(`${url}/metrics`, { auth: "alice:guess-1" });
    await vi.waitFor(() => expect(release).toBeDefined());
    const busy = await get(`${url}/metrics`, { auth: "alice:guess-2" });
    expect(busy.status).toBe(429);
    expect(busy.headers["retry-after"]).toBe("1");
    expect((await get(`${url}/metrics`, { auth: "alice:alice-password" })).status).toBe(200);
    release!();
    expect((await slow).status).toBe(401);
  });

  it("guards the landing page and reload, and leaves /healthz and /readyz open for probes", async () => {
    const url = await serve(TLS_AUTH);
    expect((await get(`${url}/`)).status).toBe(401);
    expect((await get(`${url}/-/reload`, { method: "POST" })).status).toBe(401);
    expect((await get(`${url}/-/reload`, { method: "POST", auth: "alice:alice-password" })).body).toBe("reloaded\n");
    expect(await get(`${url}/healthz`)).toMatchObject({ status: 200, body: "ok\n" });
    expect((await get(`${url}/readyz`)).status).toBe(200);
  });

  it("refuses a TLS 1.1 client, and accepts the same client at TLS 1.2", async () => {
    const url = await serve(TLS_AUTH);
    // SECLEVEL=0 lets the client offer TLS 1.1 at all, so the refusal is the server's.
    const old = { minVersion: "TLSv1.1", ciphers: "DEFAULT@SECLEVEL=0" } as const;
    await expect(get(`${url}/healthz`, { ...old, maxVersion: "TLSv1.1" })).rejects.toThrow(/alert protocol version/);
    expect(await get(`${url}/healthz`, { ...old, maxVersion: "TLSv1.2" })).toMatchObject({ status: 200, protocol: "TLSv1.2" });
    expect((await get(`${url}/healthz`)).protocol).toBe("TLSv1.3");
  });

  it("does not answer plain HTTP on the TLS port", async () => {
    const url = await serve(TLS_AUTH);
    await expect(request(`${url.replace("https:", "http:")}/healthz`, { headersTimeout: 5_000 })).rejects.toThrow();
  });

  it("is refused by a client that does not trust the server's CA", async () => {
    const url = await serve(TLS_AUTH);
    await expect(get(`${url}/healthz`, { ca: pem("other-ca.pem") })).rejects.toThrow(/self-signed|unable to (get|verify)/i);
  });
});

describe("client certificates (RequireAndVerifyClientCert)", () => {
  const MTLS = join(FIXTURES, "mtls.yml");
  const client = { cert: pem("client.pem"), key: pem("client.key") };

  it("serves a client with a certificate from the client CA", async () => {
    const url = await serve(MTLS);
    expect(await get(`${url}/metrics`, client)).toMatchObject({ status: 200, protocol: "TLSv1.3" });
  });

  it("refuses a client without a certificate, and one from another CA", async () => {
    const url = await serve(MTLS);
    // In TLS 1.3 the server checks the client certificate after the client thinks the handshake is done: the request fails.
    await expect(get(`${url}/healthz`)).rejects.toThrow(/alert certificate required/);
    await expect(get(`${url}/healthz`, { cert: pem("stranger.pem"), key: pem("stranger.key") })).rejects.toThrow(/unknown ca|socket hang up|ECONNRESET/i);
  });

  it("refuses TLS 1.2 when min_version is TLS13", async () => {
    const url = await serve(MTLS);
    await expect(get(`${url}/healthz`, { ...client, maxVersion: "TLSv1.2" })).rejects.toThrow(/alert protocol version/);
  });
});

describe("cipher suites and curves by their Go names", () => {
  it("negotiates only the listed TLS 1.2 suite and curve", async () => {
    const url = await serve(
      webConfigFile(`tls_server_config:
  cert_file: FIXTURES/server.pem
  key_file: FIXTURES/server.key
  max_version: TLS12
  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]
  curve_preferences: [CurveP384]
`),
    );
    const answer = await get(`${url}/healthz`);
    expect(answer).toMatchObject({ status: 200, protocol: "TLSv1.2", cipher: "ECDHE-ECDSA-AES256-GCM-SHA384" });
    await expect(get(`${url}/healthz`, { ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256" })).rejects.toThrow(/handshake failure|no shared cipher/i);
    await expect(get(`${url}/healthz`, { ecdhCurve: "P-256" })).rejects.toThrow(/handshake failure|no shared/i);
  });
});

describe("default TLS 1.2 suites (issue #12 item 8)", () => {
  // An RSA certificate, so that RSA key exchange could be negotiated if the server allowed it.
  const RSA = resolve(import.meta.dirname, "../../fixtures/tls");
  const rsaCa = readFileSync(join(RSA, "ca.pem"), "utf8");
  const serveRsa = () =>
    serve(webConfigFile(`tls_server_config:\n  cert_file: ${join(RSA, "server.pem")}\n  key_file: ${join(RSA, "server.key")}\n`));

  it("refuses suites without forward secrecy or without AEAD", async () => {
    const url = await serveRsa();
    for (const ciphers of ["AES128-SHA", "AES256-SHA256", "AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA384"]) {
      await expect(get(`${url}/healthz`, { ca: rsaCa, maxVersion: "TLSv1.2", ciphers }), ciphers).rejects.toThrow(/handshake failure|no shared cipher/i);
    }
  });

  it("negotiates ECDHE with AES-GCM or ChaCha20-Poly1305 on TLS 1.2, and TLS 1.3 as is", async () => {
    const url = await serveRsa();
    for (const ciphers of ["ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305"]) {
      expect(await get(`${url}/healthz`, { ca: rsaCa, maxVersion: "TLSv1.2", ciphers })).toMatchObject({ status: 200, cipher: ciphers });
    }
    expect(await get(`${url}/healthz`, { ca: rsaCa })).toMatchObject({ status: 200, protocol: "TLSv1.3" });
  });
});
