// What an HTTP status means for each kind of Stats API call (pure; the client decides which statuses are success).
import { StatsApiError } from "./errors.js";
import { errorBody, oauthErrorBody, tryParse } from "./schemas.js";

/** Kinds of call whose failures read differently. */
export type CallKind = "token" | "session_login" | "subscribe" | "data" | "other";

const SNIPPET = 200;

/**
 * The error for a status the caller did not accept. `body` is the answer's text when it was read (400 and 403 only);
 * it is used for the server's own error fields, never echoed for login calls beyond those fields.
 */
export function errorForStatus(kind: CallKind, operation: string, status: number, body = ""): StatsApiError {
  const details = { operation, status };
  const login = kind === "token" || kind === "session_login";
  if (status === 401) {
    return login
      ? new StatsApiError("BP_LOGIN_REJECTED", "login rejected (401): check the credentials", details)
      : new StatsApiError("BP_UNAUTHORIZED", "unauthorized (401): the token or session is no longer valid", details);
  }
  if (kind === "token" && (status === 400 || status === 403)) {
    const oauth = tryParse(oauthErrorBody, body);
    const why = oauth === undefined ? "" : ` (${oauth.error}${oauth.error_description ? `: ${oneLine(oauth.error_description)}` : ""})`;
    return new StatsApiError("BP_LOGIN_REJECTED", `the token endpoint refused the client credentials (${status})${why}`, details);
  }
  if (kind === "session_login" && status === 403) {
    return new StatsApiError(
      "BP_LOGIN_FORBIDDEN",
      "this server refuses session login (403 illegal login attempt): use auth.method oauth",
      details,
    );
  }
  if (status === 400) return badRequest(login, details, body);
  if (status === 403 && !login) return forbidden(kind, details, body);
  if (status === 431 || status === 413) {
    return new StatsApiError("BP_REQUEST_TOO_LARGE", `request too large (${status}): our request grew (cookies?): starting a fresh session`, details);
  }
  if (status === 404 && kind === "data") {
    return new StatsApiError("BP_NO_SUBSCRIPTION", "no active subscription (404)", details);
  }
  if (status === 409 && kind === "subscribe") {
    return new StatsApiError("BP_SUBSCRIPTION_LIMIT", "limit of active subscriptions exceeded for the tenant (409)", details);
  }
  if (status >= 500 && status <= 599) {
    return new StatsApiError("BP_UPSTREAM", `upstream error (${status})`, details);
  }
  return new StatsApiError("BP_UNEXPECTED_STATUS", `unexpected status ${status}`, details);
}

/** The privileges of reference/statsapi.md ("Access errors"), named so an operator knows what to grant. */
const ACCESS = '"Access Realtime Stats API"';
const WHICH_PRIVILEGE: Record<CallKind, string> = {
  token: ACCESS,
  session_login: ACCESS,
  data: `${ACCESS} (and what the subscription needs)`,
  subscribe: `${ACCESS}, "View real-time agent metrics" for agent grids, "View real-time service metrics" for service grids and totals`,
  other: ACCESS,
};

/** A 403 on a Stats API call: a missing privilege (what a real server answers then is unsettled: any body is shown). */
function forbidden(kind: CallKind, details: { operation: string; status: number }, body: string): StatsApiError {
  const fields = tryParse(errorBody, body) as { error_message?: unknown; error?: unknown } | undefined;
  const said = fields?.error_message ?? fields?.error;
  const server = typeof said === "string" && said.trim() !== "" ? ` (server: ${oneLine(said)})` : "";
  return new StatsApiError("BP_FORBIDDEN", `forbidden (403): the API user lacks a privilege: ${WHICH_PRIVILEGE[kind]}${server}`, details);
}

function badRequest(login: boolean, details: { operation: string; status: number }, body: string): StatsApiError {
  const fields = tryParse(errorBody, body);
  const errorCode = fields?.error_code;
  const errorMessage = fields?.error_message === undefined ? undefined : oneLine(fields.error_message);
  const parts: string[] = [];
  if (errorCode !== undefined) parts.push(`error_code ${errorCode}`);
  if (errorMessage !== undefined) parts.push(errorMessage);
  // A body without the documented fields is shown cut short, except for logins (it could echo the request).
  if (parts.length === 0 && !login && body.trim() !== "") parts.push(oneLine(body));
  const why = parts.length === 0 ? "" : `: ${parts.join(": ")}`;
  return new StatsApiError("BP_BAD_REQUEST", `bad request (400)${why}`, { ...details, errorCode, errorMessage });
}

/** Server text on one line and short, so a log line stays a line. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > SNIPPET ? `${flat.slice(0, SNIPPET)}…` : flat;
}
