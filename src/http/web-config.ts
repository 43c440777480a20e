// The exporter-toolkit web configuration file (web.config_file): TLS, basic auth and response headers.
// https://github.com/prometheus/exporter-toolkit/blob/master/docs/web-configuration.md
// Loaded once at start (and on reload), validated strictly: every problem is reported at once with its YAML path.
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import type https from "node:https";
import { dirname, resolve } from "node:path";
import { createSecureContext } from "node:tls";
import type { RequestHandler } from "express";
import { CORE_SCHEMA } from "js-yaml";
import { isBlankYaml, loadYaml } from "../config/load.js";
import { z } from "zod";
import { ConfigError } from "../config/errors.js";
import { type FileAccess, fileAccess, osReason } from "../config/secrets.js";
import type { ConfigIssue } from "../config/types.js";
import { describeType, issueMessage, toConfigIssues } from "../config/zod-issues.js";
import { type BasicAuthOptions, basicAuthGuard, isBcryptHash } from "./basic-auth.js";
import { headerProblem } from "./headers.js";
import { CURVES, DEPRECATED_TLS_VERSIONS, TLS_VERSIONS, TLS12_CIPHER_SUITES, TLS13_CIPHER_SUITES, cipherString } from "./tls-names.js";

/** What the web config asks of the HTTP server. Every part is optional: an empty file protects nothing, as in exporter-toolkit. */
export interface WebProtection {
  /** Serve HTTPS with these options. */
  tls?: https.ServerOptions;
  /** Basic auth for the guarded endpoints. */
  guard?: RequestHandler;
  /** Extra response headers (see responseHeaders in headers.ts). */
  headers?: Record<string, string>;
}

type Ctx = z.core.$RefinementCtx;

function fail(ctx: Ctx, message: string, path: PropertyKey[] = []): typeof z.NEVER {
  ctx.issues.push({ code: "custom", message, input: undefined, path });
  return z.NEVER;
}

const nonEmpty = z.string().min(1);
const SUPPORTED_CLIENT_AUTH = ["NoClientCert", "RequireAndVerifyClientCert"];
// Go's other policies accept a certificate nobody verified, or none at all, on the same port as verified ones.
const UNSUPPORTED_CLIENT_AUTH = ["RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven"];
const HASH_HELP = `expected a bcrypt hash ($2a$, $2b$ or $2y$, a cost 04-31, 53 characters of salt and hash), e.g. from htpasswd -nBC 10 "" | tr -d ':\\n'`;

const tlsVersion = z.string().transform((name, ctx) => {
  const version = TLS_VERSIONS[name];
  if (version) return version;
  return fail(
    ctx,
    DEPRECATED_TLS_VERSIONS.has(name)
      ? `${name} is not supported: TLS 1.0 and 1.1 are deprecated (RFC 8996) and disabled in Node's OpenSSL; use "TLS12" or "TLS13"`
      : 'expected one of "TLS12", "TLS13"',
  );
});

const cipherSuite = z.string().refine(
  (name) => Object.hasOwn(TLS12_CIPHER_SUITES, name) || TLS13_CIPHER_SUITES.includes(name),
  "not a supported cipher suite: expected a secure Go crypto/tls name such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (list in docs/web-config.md)",
);

const curve = z.string().transform((name, ctx) => CURVES[name] ?? fail(ctx, `expected one of ${Object.keys(CURVES).join(", ")}`));

const clientAuthType = z.string().refine(
  (name) => SUPPORTED_CLIENT_AUTH.includes(name),
  {
    error: (iss) =>
      UNSUPPORTED_CLIENT_AUTH.includes(String(iss.input))
        ? `${String(iss.input)} is not supported (it lets unverified clients in); use "RequireAndVerifyClientCert" or "NoClientCert"`
        : `expected one of ${SUPPORTED_CLIENT_AUTH.map((v) => `"${v}"`).join(", ")}`,
  },
);

/** Exactly one of an inline PEM and a PEM file. */
function pemSource(ctx: Ctx, inline: string | undefined, file: string | undefined, names: [string, string]): string | undefined {
  const [inlineKey, fileKey] = names;
  if (inline !== undefined && file !== undefined) return fail(ctx, `set only one of ${inlineKey} and ${fileKey}`, [inlineKey]);
  return inline ?? file;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/** Node skips what is not a certificate in `ca` without a word, which would lock every client out: count real ones. */
function countCertificates(pemText: string): number {
  return (pemText.match(PEM_CERTIFICATE) ?? []).filter((block) => {
    try {
      new X509Certificate(block);
      return true;
    } catch {
      return false;
    }
  }).length;
}

/** The TLS part, keyed for https.createServer. */
function tlsServerConfig(files: FileAccess) {
  // A file is read as soon as its field is seen, so an unreadable file is reported alongside other mistakes.
  const pemFile = nonEmpty.transform(async (file, ctx) => {
    const path = files.resolve(file);
    const read = await files.read(path);
    if ("reason" in read) return fail(ctx, `cannot read ${path}: ${read.reason}`);
    return read.text.trim() === "" ? fail(ctx, `${path} is empty`) : read.text;
  });
  return z
    .strictObject({
      cert: nonEmpty.optional(),
      cert_file: pemFile.optional(),
      key: nonEmpty.optional(),
      key_file: pemFile.optional(),
      client_auth_type: clientAuthType.default("NoClientCert"),
      client_ca: nonEmpty.optional(),
      client_ca_file: pemFile.optional(),
      client_allowed_sans: z.array(z.string()).optional(),
      min_version: tlsVersion.default("TLSv1.2"),
      max_version: tlsVersion.default("TLSv1.3"),
      cipher_suites: z.array(cipherSuite).optional(),
      prefer_server_cipher_suites: z.boolean().default(true),
      curve_preferences: z.array(curve).min(1).optional(),
    })
    .transform((t, ctx): https.ServerOptions => {
      const cert = pemSource(ctx, t.cert, t.cert_file, ["cert", "cert_file"]);
      const key = pemSource(ctx, t.key, t.key_file, ["key", "key_file"]);
      const ca = pemSource(ctx, t.client_ca, t.client_ca_file, ["client_ca", "client_ca_file"]);
      if (cert === undefined) fail(ctx, "required: set cert_file (or cert)", ["cert_file"]);
      if (key === undefined) fail(ctx, "required: set key_file (or key)", ["key_file"]);
      const verifyClients = t.client_auth_type === "RequireAndVerifyClientCert";
      if (verifyClients && ca === undefined) {
        // Without it Node would trust every public CA, i.e. anyone with any certificate.
        fail(ctx, "required with RequireAndVerifyClientCert: the CA that signs client certificates", ["client_ca_file"]);
      }
      if (ca !== undefined && countCertificates(ca) === 0) {
        fail(ctx, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)", [t.client_ca === undefined ? "client_ca_file" : "client_ca"]);
      }
      if (!verifyClients && ca !== undefined) {
        fail(ctx, 'a client CA is set but client_auth_type is not "RequireAndVerifyClientCert"', ["client_auth_type"]);
      }
      if (t.client_allowed_sans !== undefined) fail(ctx, "not supported by this exporter: issue client certificates from a dedicated CA instead", ["client_allowed_sans"]);
      if (t.max_version < t.min_version) fail(ctx, "must not be lower than min_version", ["max_version"]);
      if (ctx.issues.length > 0) return z.NEVER;
      const ciphers = cipherString(t.cipher_suites ?? []);
      const options: https.ServerOptions = {
        cert,
        key,
        minVersion: t.min_version,
        maxVersion: t.max_version,
        honorCipherOrder: t.prefer_server_cipher_suites,
        ciphers,
        ...(t.curve_preferences && { ecdhCurve: t.curve_preferences.join(":") }),
        ...(verifyClients ? { requestCert: true, rejectUnauthorized: true, ca } : { requestCert: false }),
      };
      try {
        // Catches a key that does not match the certificate, broken PEM, an empty cipher list, now rather than at the first connection.
        createSecureContext(options);
      } catch (error) {
        return fail(ctx, `cannot use these TLS settings: ${error instanceof Error ? error.message : String(error)}`);
      }
      return options;
    });
}

const headers = z.record(z.string(), z.string()).superRefine((map, ctx) => {
  for (const [name, value] of Object.entries(map)) {
    const problem = headerProblem(name, value);
    if (problem) ctx.addIssue({ code: "custom", message: problem, path: [name] });
  }
});

const basicAuthUsers = z.record(z.string(), z.string()).superRefine((users, ctx) => {
  for (const [user, hash] of Object.entries(users)) {
    // The path names the user; the hash itself is never shown.
    if (user === "") ctx.addIssue({ code: "custom", message: "a user name must not be empty", path: [user] });
    else if (user.includes(":")) ctx.addIssue({ code: "custom", message: 'a user name cannot contain ":" (basic auth splits on it)', path: [user] });
    if (!isBcryptHash(hash)) ctx.addIssue({ code: "custom", message: HASH_HELP, path: [user] });
  }
});

export function createWebConfigSchema(files: FileAccess) {
  return z.strictObject({
    tls_server_config: tlsServerConfig(files).nullish(),
    http_server_config: z
      .strictObject({
        // Accepted so toolkit files load unchanged; this server speaks HTTP/1.1 only (Prometheus scrapes that way too).
        http2: z.boolean().optional(),
        headers: headers.nullish(),
      })
      .nullish(),
    basic_auth_users: basicAuthUsers.nullish(),
    rate_limit: z
      .unknown()
      .refine((v) => v === undefined, "not supported by this exporter: put a reverse proxy in front to rate-limit")
      .optional(),
  });
}

function parseYaml(text: string): { tree: unknown } | { issue: ConfigIssue } {
  // An empty web config is valid and asks for nothing.
  return isBlankYaml(text) ? { tree: {} } : loadYaml(text, CORE_SCHEMA);
}

export interface WebConfigOptions {
  /** Directory relative cert_file, key_file and client_ca_file paths are resolved against. Default: the working directory. */
  baseDir?: string;
  /** Shown in front of every message. */
  fileName?: string;
  /** Tuning of the basic auth guard (cache, compare). */
  basicAuth?: BasicAuthOptions;
}

/** Validates a web config text. Throws ConfigError listing every problem. */
export async function parseWebConfig(text: string, options: WebConfigOptions = {}): Promise<WebProtection> {
  const { baseDir = process.cwd(), fileName } = options;
  const parsed = parseYaml(text);
  if ("issue" in parsed) throw new ConfigError([parsed.issue], fileName);
  const tree = parsed.tree ?? {};
  if (typeof tree !== "object" || Array.isArray(tree)) {
    throw new ConfigError([{ path: "", message: `expected a mapping at the top level, got ${describeType(tree)}` }], fileName);
  }
  const result = await createWebConfigSchema(fileAccess(baseDir)).safeParseAsync(tree, { error: issueMessage });
  if (!result.success) throw new ConfigError(toConfigIssues(result.error.issues), fileName);
  const { tls_server_config: tls, http_server_config: http, basic_auth_users: users } = result.data;
  const shownHeaders = Object.entries(http?.headers ?? {}).filter(([, value]) => value !== "");
  return {
    ...(tls && { tls }),
    ...(users && Object.keys(users).length > 0 && { guard: basicAuthGuard(users, options.basicAuth) }),
    ...(shownHeaders.length > 0 && { headers: Object.fromEntries(shownHeaders) }),
  };
}

/** Reads and validates a web config file; relative paths inside it are resolved against its directory. */
export async function loadWebConfig(path: string, options: Omit<WebConfigOptions, "baseDir" | "fileName"> = {}): Promise<WebProtection> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    throw new ConfigError([{ path: "", message: `cannot read web config file ${absolute}: ${osReason(error)}` }], path);
  }
  return parseWebConfig(text, { ...options, baseDir: dirname(absolute), fileName: path });
}
