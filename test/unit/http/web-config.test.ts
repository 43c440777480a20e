import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadWebConfig, parseWebConfig } from "../../../src/http/web-config.js";
import { rejection } from "../../support/config-rejection.js";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/web");
const ALICE = "$2b$04$OJ6BULlFggeJkOZa1AwOhe/pNXgL4jEJ7m44g8MK6pMj7sxetqPcG";
const TLS = "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n";
const pem = (name: string) => readFileSync(resolve(FIXTURES, name), "utf8");


const DEFAULT_CIPHERS =
  "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" +
  "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256";
const parse = (text: string) => parseWebConfig(text, { baseDir: FIXTURES, fileName: "web.yml" });
const failure = (text: string) => rejection(() => parse(text));

describe("loadWebConfig: good files", () => {
  it("reads TLS, basic auth and headers, with paths relative to the file", async () => {
    const web = await loadWebConfig(resolve(FIXTURES, "tls-basic-auth.yml"));
    expect(web.tls).toMatchObject({ cert: pem("server.pem"), key: pem("server.key"), minVersion: "TLSv1.2", maxVersion: "TLSv1.3", requestCert: false });
    expect(web.tls?.ciphers).toBe(DEFAULT_CIPHERS);
    expect(typeof web.guard).toBe("function");
    // The blank X-Frame-Options is left out, as exporter-toolkit does.
    expect(web.headers).toEqual({ "Strict-Transport-Security": "max-age=31536000", "X-Content-Type-Options": "nosniff" });
  });

  it("asks clients for a certificate from the client CA when RequireAndVerifyClientCert", async () => {
    const web = await loadWebConfig(resolve(FIXTURES, "mtls.yml"));
    expect(web.tls).toMatchObject({ requestCert: true, rejectUnauthorized: true, ca: pem("ca.pem"), minVersion: "TLSv1.3" });
    expect(web.guard).toBeUndefined();
  });

  it("protects nothing for an empty file or empty sections, like exporter-toolkit", async () => {
    expect(await parse("")).toEqual({});
    expect(await parse("# nothing\n")).toEqual({});
    expect(await parse("basic_auth_users: {}\nhttp_server_config:\n  http2: true\n  headers: {}\n")).toEqual({});
    expect(await parse("basic_auth_users:\ntls_server_config:\n")).toEqual({});
  });

  it("takes inline PEM instead of files", async () => {
    const text = `tls_server_config:\n  cert: ${JSON.stringify(pem("server.pem"))}\n  key: ${JSON.stringify(pem("server.key"))}\n`;
    expect((await parse(text)).tls).toMatchObject({ cert: pem("server.pem"), key: pem("server.key") });
  });

  it("maps Go cipher suite and curve names to OpenSSL's, keeping TLS 1.3 suites on", async () => {
    const text = `${TLS}  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256]
  prefer_server_cipher_suites: false
  curve_preferences: [X25519, CurveP256]
  max_version: TLS12
`;
    const { tls } = await parse(text);
    expect(tls?.ciphers).toBe("ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256");
    expect(tls?.ecdhCurve).toBe("X25519:P-256");
    expect(tls?.honorCipherOrder).toBe(false);
    expect(tls?.maxVersion).toBe("TLSv1.2");
  });

  it("uses the forward-secret AEAD TLS 1.2 suites when none is named (an empty list, or TLS 1.3 names only)", async () => {
    expect((await parse(`${TLS}  cipher_suites: []\n`)).tls?.ciphers).toBe(DEFAULT_CIPHERS);
    expect((await parse(`${TLS}  cipher_suites: [TLS_AES_128_GCM_SHA256]\n`)).tls?.ciphers).toBe(DEFAULT_CIPHERS);
  });
});

interface BadCase {
  name: string;
  text: string;
  path: string;
  message: string;
}

const bad: BadCase[] = [
  { name: "unknown top-level key", text: "basic_auth_user:\n  alice: x\n", path: "basic_auth_user", message: "unknown key" },
  { name: "unknown TLS key", text: `${TLS}  certfile: x\n`, path: "tls_server_config.certfile", message: "unknown key" },
  { name: "missing cert", text: "tls_server_config:\n  key_file: server.key\n", path: "tls_server_config.cert_file", message: "required" },
  { name: "missing key", text: "tls_server_config:\n  cert_file: server.pem\n", path: "tls_server_config.key_file", message: "required" },
  { name: "cert and cert_file", text: `${TLS}  cert: x\n`, path: "tls_server_config.cert", message: "set only one of cert and cert_file" },
  { name: "unreadable cert", text: "tls_server_config:\n  cert_file: nope.pem\n  key_file: server.key\n", path: "tls_server_config.cert_file", message: `cannot read ${FIXTURES}/nope.pem: ENOENT` },
  { name: "key of another certificate", text: "tls_server_config:\n  cert_file: server.pem\n  key_file: client.key\n", path: "tls_server_config", message: "cannot use these TLS settings" },
  { name: "not PEM", text: "tls_server_config:\n  cert_file: mtls.yml\n  key_file: server.key\n", path: "tls_server_config", message: "cannot use these TLS settings" },
  { name: "TLS 1.0", text: `${TLS}  min_version: TLS10\n`, path: "tls_server_config.min_version", message: "TLS10 is not supported: TLS 1.0 and 1.1 are deprecated (RFC 8996)" },
  { name: "TLS 1.1 max", text: `${TLS}  max_version: TLS11\n`, path: "tls_server_config.max_version", message: "TLS11 is not supported" },
  { name: "unknown version", text: `${TLS}  min_version: TLSv1.2\n`, path: "tls_server_config.min_version", message: 'expected one of "TLS12", "TLS13"' },
  { name: "max below min", text: `${TLS}  min_version: TLS13\n  max_version: TLS12\n`, path: "tls_server_config.max_version", message: "must not be lower than min_version" },
  { name: "insecure cipher", text: `${TLS}  cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]\n`, path: "tls_server_config.cipher_suites[0]", message: "not a supported cipher suite" },
  { name: "OpenSSL cipher name", text: `${TLS}  cipher_suites: [TLS_AES_128_GCM_SHA256, ECDHE-RSA-AES128-GCM-SHA256]\n`, path: "tls_server_config.cipher_suites[1]", message: "not a supported cipher suite" },
  { name: "unknown curve", text: `${TLS}  curve_preferences: [X448]\n`, path: "tls_server_config.curve_preferences[0]", message: "expected one of CurveP256, CurveP384, CurveP521, X25519" },
  { name: "unsupported client auth", text: `${TLS}  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.pem\n`, path: "tls_server_config.client_auth_type", message: "VerifyClientCertIfGiven is not supported" },
  { name: "unknown client auth", text: `${TLS}  client_auth_type: yes\n`, path: "tls_server_config.client_auth_type", message: 'expected one of "NoClientCert", "RequireAndVerifyClientCert"' },
  { name: "client verification without CA", text: `${TLS}  client_auth_type: RequireAndVerifyClientCert\n`, path: "tls_server_config.client_ca_file", message: "required with RequireAndVerifyClientCert" },
  { name: "client CA without verification", text: `${TLS}  client_ca_file: ca.pem\n`, path: "tls_server_config.client_auth_type", message: "a client CA is set but client_auth_type" },
  { name: "client CA file without a certificate", text: `${TLS}  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: server.key\n`, path: "tls_server_config.client_ca_file", message: "holds no PEM certificate" },
  { name: "inline client CA that is no certificate", text: `${TLS}  client_auth_type: RequireAndVerifyClientCert\n  client_ca: "-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----"\n`, path: "tls_server_config.client_ca", message: "holds no PEM certificate" },
  { name: "allowed SANs", text: `${TLS}  client_allowed_sans: [prometheus]\n`, path: "tls_server_config.client_allowed_sans", message: "not supported" },
  { name: "not a bcrypt hash", text: "basic_auth_users:\n  alice: plain-password\n", path: "basic_auth_users.alice", message: "expected a bcrypt hash" },
  { name: "hash one character short", text: `basic_auth_users:\n  carol: ${ALICE.slice(0, -1)}\n`, path: "basic_auth_users.carol", message: "expected a bcrypt hash" },
  { name: "hash with cost 3", text: `basic_auth_users:\n  dave: ${ALICE.replace("$04$", "$03$")}\n`, path: "basic_auth_users.dave", message: "expected a bcrypt hash" },
  { name: "$2x$ hash", text: `basic_auth_users:\n  erin: ${ALICE.replace("$2b$", "$2x$")}\n`, path: "basic_auth_users.erin", message: "expected a bcrypt hash" },
  { name: "user without hash", text: "basic_auth_users:\n  alice:\n", path: "basic_auth_users.alice", message: "expected a string, got null" },
  { name: "user name with a colon", text: `basic_auth_users:\n  "a:b": ${ALICE}\n`, path: "basic_auth_users.a:b", message: 'cannot contain ":"' },
  { name: "users as a list", text: "basic_auth_users: [alice]\n", path: "basic_auth_users", message: "expected a record, got a list" },
  { name: "header not configurable", text: "http_server_config:\n  headers:\n    Server: x\n", path: "http_server_config.headers.Server", message: "this header cannot be configured" },
  { name: "bad X-Frame-Options", text: "http_server_config:\n  headers:\n    X-Frame-Options: allow\n", path: "http_server_config.headers.X-Frame-Options", message: "expected one of deny, sameorigin" },
  { name: "header value with a line break", text: 'http_server_config:\n  headers:\n    Content-Security-Policy: "a\\r\\nSet-Cookie: x"\n', path: "http_server_config.headers.Content-Security-Policy", message: "line breaks" },
  { name: "http2 not a boolean", text: "http_server_config:\n  http2: sometimes\n", path: "http_server_config.http2", message: "expected a boolean, got a string" },
  { name: "rate_limit", text: "rate_limit:\n  interval: 1s\n  burst: 20\n", path: "rate_limit", message: "not supported by this exporter" },
  { name: "top level a list", text: "- a\n", path: "", message: "expected a mapping at the top level, got a list" },
  { name: "YAML syntax", text: "basic_auth_users:\n  alice: [\n", path: "", message: "YAML syntax error at line" },
];

describe("parseWebConfig: each mistake at its path", () => {
  it.each(bad)("$name", async ({ text, path, message }) => {
    const error = await failure(text);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.path).toBe(path);
    expect(error.issues[0]!.message).toContain(message);
    expect(error.message).toContain("web.yml: ");
  });

  it("reports every problem at once", async () => {
    const text = `tls_server_config:
  cert_file: missing.pem
  key_file: server.key
  min_version: TLS11
  cipher_suites: [RC4]
basic_auth_users:
  alice: nope
  bob: ${ALICE}
http_server_config:
  headers:
    X-Powered-By: me
`;
    const paths = (await failure(text)).issues.map((issue) => issue.path);
    expect(paths.sort()).toEqual(
      [
        "tls_server_config.cert_file",
        "tls_server_config.min_version",
        "tls_server_config.cipher_suites[0]",
        "basic_auth_users.alice",
        "http_server_config.headers.X-Powered-By",
      ].sort(),
    );
  });

  it("never shows a hash or a key in its messages", async () => {
    const almost = ALICE.slice(0, -2);
    const error = await failure(`${TLS}basic_auth_users:\n  alice: ${almost}\n`);
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(["basic_auth_users.alice"]);
    expect(error.message).not.toContain(almost.slice(7));
    const key = pem("client.key");
    const mismatch = await failure(`tls_server_config:\n  cert_file: server.pem\n  key: ${JSON.stringify(key)}\n`);
    const keyBody = key.split("\n")[1]!;
    expect(mismatch.message).not.toContain(keyBody);
    expect(mismatch.message).toContain("cannot use these TLS settings");
  });

  it("names the web config file it cannot read", async () => {
    const error = await rejection(() => loadWebConfig(resolve(FIXTURES, "absent.yml")));
    expect(error.message).toContain(`cannot read web config file ${FIXTURES}/absent.yml: ENOENT`);
  });
});
