// The HTTP side of the client: one undici Agent (keep-alive, TLS options), a deadline and a body-size cap on every
// call, the cookie jar, and the mapping of transport failures to BP_TIMEOUT / BP_NETWORK / BP_MALFORMED.
import { performance } from "node:perf_hooks";
import type { Logger } from "pino";
import type { CookieJar } from "tough-cookie";
import { Agent, request } from "undici";
import type { Dispatcher } from "undici";
import type { TlsConfig } from "../config/types.js";
import { MAX_COOKIES, MAX_COOKIE_BYTES, boundCookieJar } from "./cookie-bounds.js";
import { StatsApiError } from "./errors.js";
import { type CallKind, errorForStatus } from "./status.js";

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Error bodies are only read for their error fields: a small cap is enough. */
const ERROR_BODY_BYTES = 64 * 1024;

export interface HttpOptions {
  /** scheme://host[:port], no path. */
  baseUrl: string;
  timeoutMs: number;
  tls: TlsConfig;
  maxBodyBytes: number;
  logger: Logger;
  jar: CookieJar;
  /** The values that must never reach an error message (password, secret, token, cookies). */
  secrets: () => Iterable<string>;
}

export interface UpstreamCall {
  kind: CallKind;
  method: "GET" | "POST" | "DELETE";
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  /** Statuses that are not errors for this call; any other status throws (see status.ts). */
  accept: (status: number) => boolean;
}

export interface UpstreamAnswer {
  status: number;
  /** The body for accepted statuses; "" when there was none. */
  text: string;
}

export class HttpTransport {
  private readonly agent: Agent;
  private closing: Promise<void> | undefined;
  private warnedCookies = false;

  constructor(private readonly options: HttpOptions) {
    this.agent = new Agent({
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: {
        timeout: options.timeoutMs,
        ...(options.tls.ca === undefined ? {} : { ca: options.tls.ca }),
        rejectUnauthorized: !options.tls.insecure_skip_verify,
      },
    });
  }

  /** `METHOD /path` — how errors and logs name a call (no query, no host). */
  static operation(call: Pick<UpstreamCall, "method" | "path">): string {
    return `${call.method} ${call.path}`;
  }

  async send(call: UpstreamCall): Promise<UpstreamAnswer> {
    const operation = HttpTransport.operation(call);
    const started = performance.now();
    let status: number | undefined;
    let failure: string | undefined;
    try {
      return await this.exchange(call, operation, (code) => (status = code));
    } catch (error) {
      failure = error instanceof StatsApiError ? error.code : "internal";
      throw this.scrub(error);
    } finally {
      const durationMs = Math.round((performance.now() - started) * 10) / 10;
      this.options.logger.debug(
        { method: call.method, path: call.path, status, duration_ms: durationMs, error: failure },
        "stats api call",
      );
    }
  }

  /** Ends the keep-alive connections once calls in flight are done (each has a deadline). */
  close(): Promise<void> {
    this.closing ??= this.agent.close();
    return this.closing;
  }

  private async exchange(call: UpstreamCall, operation: string, onStatus: (status: number) => void): Promise<UpstreamAnswer> {
    const url = this.url(call);
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    const headers: Record<string, string> = { accept: "application/json", ...call.headers };
    const cookie = await this.options.jar.getCookieString(url);
    if (cookie !== "") headers.cookie = cookie;
    // As real clients send them (reference/captures): JSON with its charset on a POST, and a JSON Content-Type on GETs too.
    if (headers["content-type"] === undefined) {
      if (call.body !== undefined) headers["content-type"] = "application/json;charset=UTF-8";
      else if (call.method === "GET") headers["content-type"] = "application/json";
    }

    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, { dispatcher: this.agent, method: call.method, headers, body: call.body, signal });
    } catch (error) {
      throw transportError(error, operation, signal, this.options.timeoutMs);
    }
    onStatus(response.statusCode);
    await this.storeCookies(url, response.headers["set-cookie"]);

    const accepted = call.accept(response.statusCode);
    const wanted = accepted || response.statusCode === 400 || response.statusCode === 403;
    if (!wanted) {
      await discard(response.body);
      throw errorForStatus(call.kind, operation, response.statusCode);
    }
    let text: string;
    try {
      // An error body is only read for its error fields: cut short, never "too large".
      text = accepted
        ? await readText(response, this.options.maxBodyBytes, operation)
        : await readHead(response.body, ERROR_BODY_BYTES);
    } catch (error) {
      if (error instanceof StatsApiError) throw error;
      throw transportError(error, operation, signal, this.options.timeoutMs);
    }
    if (!accepted) throw errorForStatus(call.kind, operation, response.statusCode, text);
    return { status: response.statusCode, text };
  }

  private url(call: UpstreamCall): string {
    const url = new URL(call.path, this.options.baseUrl);
    for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
    return url.toString();
  }

  /** The absolute URL of a path on the upstream. */
  urlOf(path: string): string {
    return new URL(path, this.options.baseUrl).toString();
  }

  get logger(): Logger {
    return this.options.logger;
  }

  private async storeCookies(url: string, header: string | string[] | undefined): Promise<void> {
    if (header === undefined) return;
    for (const line of Array.isArray(header) ? header : [header]) {
      // A cookie the jar refuses (a Domain that does not match the upstream url, malformed) is skipped, as a
      // browser would, but said: a refused session cookie is why every later call would get 401.
      try {
        await this.options.jar.setCookie(line, url);
      } catch (error) {
        const name = line.split("=", 1)[0]?.trim().slice(0, 64) ?? "";
        this.options.logger.warn({ cookie: name, why: error instanceof Error ? error.message : String(error) }, "the upstream set a cookie that was not kept (its Domain does not match the upstream url?)");
      }
    }
    const dropped = await boundCookieJar(this.options.jar);
    if (dropped > 0 && !this.warnedCookies) {
      this.warnedCookies = true;
      this.options.logger.warn(
        { dropped, max_cookies: MAX_COOKIES, max_cookie_bytes: MAX_COOKIE_BYTES },
        "the upstream sets more cookies than are kept: the newest are dropped (logged once)",
      );
    }
  }

  /** Replaces any secret that slipped into a message (e.g. echoed by a server) — defence in depth. */
  private scrub(error: unknown): unknown {
    if (!(error instanceof StatsApiError)) return error;
    const forms = [...this.options.secrets()].flatMap(writtenForms).filter((form) => form.length >= 4);
    const clean = (text: string): string => forms.reduce((out, form) => out.split(form).join("[redacted]"), text);
    const detail = clean(error.detail);
    const errorMessage = error.errorMessage === undefined ? undefined : clean(error.errorMessage);
    if (detail === error.detail && errorMessage === error.errorMessage) return error;
    return new StatsApiError(error.code, detail, {
      operation: error.operation,
      status: error.status,
      errorCode: error.errorCode,
      errorMessage,
      cause: error.cause,
    });
  }
}

/** A secret as a server may echo it: raw, form- or URL-encoded, or inside a JSON string. */
function writtenForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]);
  forms.add(JSON.stringify(secret).slice(1, -1));
  return [...forms];
}

/** Reads a body as UTF-8 text, refusing more than `limit` bytes (declared or received). */
async function readText(response: Dispatcher.ResponseData, limit: number, operation: string): Promise<string> {
  const tooLarge = (): StatsApiError =>
    new StatsApiError("BP_MALFORMED", `body too large (more than ${limit} bytes)`, { operation, status: response.statusCode });
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    response.body.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      response.body.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks, size).toString("utf8");
  // A UTF-8 byte order mark is legal in an HTTP body but not in JSON.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The first `limit` bytes of a body; the rest is dropped with the connection. */
async function readHead(body: Dispatcher.ResponseData["body"], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks, size).subarray(0, limit).toString("utf8");
}

/** Bodies we do not read must still be consumed, or undici keeps the connection busy. */
async function discard(body: Dispatcher.ResponseData["body"]): Promise<void> {
  try {
    await body.dump({ limit: ERROR_BODY_BYTES });
  } catch {
    body.destroy();
  }
}

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

/** A failure below HTTP: our deadline (BP_TIMEOUT) or the network, DNS, TLS (BP_NETWORK), with the cause kept. */
export function transportError(error: unknown, operation: string, signal: AbortSignal, timeoutMs: number): StatsApiError {
  const code = errorCode(error);
  if (signal.aborted || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return new StatsApiError("BP_TIMEOUT", `no answer within ${timeoutMs} ms`, { operation, cause: error });
  }
  return new StatsApiError("BP_NETWORK", `network error: ${describeCause(error)}`, { operation, cause: error });
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The innermost useful text of a cause chain, e.g. "ECONNREFUSED connect ECONNREFUSED 127.0.0.1:9" */
function describeCause(error: unknown): string {
  let current: unknown = error;
  const parts: string[] = [];
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = errorCode(current);
    const text = code !== undefined && !current.message.includes(code) ? `${code} ${current.message}` : current.message;
    if (text !== "" && !parts.includes(text)) parts.push(text);
    current = current.cause;
  }
  return parts.length === 0 ? String(error) : parts.join(": ");
}
