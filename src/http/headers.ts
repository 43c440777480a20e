// exporter-toolkit's `http_server_config.headers`: a fixed set of security headers added to every response.
import type { RequestHandler } from "express";

/** The headers exporter-toolkit lets a web config set, with the values it accepts (undefined: any). Matched case-insensitively. */
export const CONFIGURABLE_HEADERS: Record<string, readonly string[] | undefined> = {
  "Strict-Transport-Security": undefined,
  "X-Content-Type-Options": ["nosniff"],
  "X-Frame-Options": ["deny", "sameorigin"],
  "X-XSS-Protection": undefined,
  "Content-Security-Policy": undefined,
};

/** Why a header cannot be set to a value, or undefined when it can. */
export function headerProblem(name: string, value: string): string | undefined {
  if (!Object.hasOwn(CONFIGURABLE_HEADERS, name)) {
    return `this header cannot be configured; expected one of ${Object.keys(CONFIGURABLE_HEADERS).join(", ")}`;
  }
  // Node refuses such values at send time; say so at load instead.
  if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(value)) return "must not contain control characters or line breaks";
  const allowed = CONFIGURABLE_HEADERS[name];
  if (value !== "" && allowed && !allowed.includes(value.toLowerCase())) return `expected one of ${allowed.join(", ")}`;
  return undefined;
}

/** Sets the configured headers on every response (mount it before the routes). */
export function responseHeaders(headers: Readonly<Record<string, string>>): RequestHandler {
  const entries = Object.entries(headers);
  return (_req, res, next) => {
    for (const [name, value] of entries) res.setHeader(name, value);
    next();
  };
}
