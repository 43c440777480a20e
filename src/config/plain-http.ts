// A secret sent over plain http:// can be read by anyone on the path: warn (check-config and the start-up
// log). Loopback is excepted: the secret does not leave the machine (e.g. a TLS-terminating sidecar).
import { isIP } from "node:net";
import type { Config, ConfigIssue } from "./types.js";

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}

export function plainHttpWarnings(config: Config): ConfigIssue[] {
  const url = new URL(config.upstream.url);
  if (url.protocol !== "http:" || isLoopback(url.hostname)) return [];
  const secrets = config.upstream.auth.method === "oauth" ? "the OAuth client secret and access token" : "the password and session cookies";
  return [{ path: "upstream.url", message: `plain http:// sends ${secrets} readable by anyone on the network: use https://` }];
}
