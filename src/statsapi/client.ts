// The Stats API client: the calls of the seed and reference/statsapi.md, under either auth method.
// Transport concerns (deadline, body cap, cookies, TLS) live in http.ts; what statuses mean, in status.ts.
import type { Logger } from "pino";
import { pino } from "pino";
import { CookieJar } from "tough-cookie";
import type { ZodType } from "zod";
import type { UpstreamConfig } from "../config/types.js";
import type { Authenticator } from "./auth.js";
import { isStatsApiError } from "./errors.js";
import { DEFAULT_MAX_BODY_BYTES, HttpTransport, type UpstreamCall } from "./http.js";
import { OAuthAuthenticator } from "./oauth.js";
import { configObjectList, dispositionsAnswer, parseAnswer } from "./schemas.js";
import { SessionAuthenticator } from "./session.js";
import type { ConfigObject, DispositionFlags, SubscriptionRequest } from "./types.js";

export interface StatsApiClientOptions {
  upstream: UpstreamConfig;
  logger?: Logger;
  /** Clock for token expiry (ms since epoch). */
  now?: () => number;
  /** Largest answer body accepted, default 64 MiB; more is BP_MALFORMED "body too large". */
  maxBodyBytes?: number;
  /** The session cookie jar (injected by tests to inspect or empty it). */
  cookieJar?: CookieJar;
}

const SUBSCRIPTION = "/statsapi/subscription";
const is2xx = (status: number): boolean => status >= 200 && status < 300;

export class StatsApiClient {
  private readonly http: HttpTransport;
  private readonly auth: Authenticator;
  private readonly jar: CookieJar;

  constructor(options: StatsApiClientOptions) {
    const { upstream } = options;
    const jar = options.cookieJar ?? new CookieJar();
    this.jar = jar;
    const logger = options.logger ?? pino({ level: "silent" });
    this.http = new HttpTransport({
      baseUrl: upstream.url,
      timeoutMs: upstream.timeout_ms,
      tls: upstream.tls,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      logger,
      jar,
      secrets: () => this.auth.secrets(),
    });
    this.auth =
      upstream.auth.method === "oauth"
        ? new OAuthAuthenticator(this.http, upstream.auth, upstream.tenant_url, options.now ?? Date.now)
        : new SessionAuthenticator(this.http, jar, upstream.auth, upstream.tenant_url);
  }

  /** A fresh session: the cookies of the old one are dropped first (a jar grown too large gets 431/413). */
  async login(): Promise<void> {
    await this.jar.removeAllCookies();
    await this.auth.login();
  }

  /** Changes with every login and token refresh (see UpstreamSession). */
  credentialsVersion(): number {
    return this.auth.version();
  }

  /** Creates the subscription. The 200 answer has an empty body (chunked, no content type): it is not parsed. */
  async subscribe(body: SubscriptionRequest): Promise<void> {
    await this.call({ kind: "subscribe", method: "POST", path: SUBSCRIPTION, body: JSON.stringify(body), accept: is2xx });
  }

  /** Deletes the active subscription; "there was none" (404) is not an error, and the answer body is ignored. */
  async deleteSubscription(): Promise<void> {
    await this.call({
      kind: "other",
      method: "DELETE",
      path: `${SUBSCRIPTION}/active`,
      accept: (status) => is2xx(status) || status === 404,
    });
  }

  /** The raw data body, or null when the server answers 204 (data not ready yet). */
  async getDataText(): Promise<string | null> {
    const answer = await this.call({
      kind: "data",
      method: "GET",
      path: `${SUBSCRIPTION}/data`,
      accept: (status) => status === 200 || status === 204,
    });
    return answer.status === 204 ? null : answer.text;
  }

  /** Disposition names; each flag given is sent as 1 (true) or 0 (false). */
  async getDispositions(flags: DispositionFlags = {}): Promise<string[]> {
    const query: Record<string, string> = {};
    for (const [name, value] of Object.entries(flags)) {
      if (typeof value === "boolean") query[name] = value ? "1" : "0";
    }
    return this.getJson("/statsapi/cfg/dispositions", dispositionsAnswer, query);
  }

  listTeams(): Promise<ConfigObject[]> {
    return this.getJson("/statsapi/cfg/teams", configObjectList);
  }

  listServices(): Promise<ConfigObject[]> {
    return this.getJson("/statsapi/cfg/services", configObjectList);
  }

  listAgents(): Promise<ConfigObject[]> {
    return this.getJson("/statsapi/cfg/agents", configObjectList);
  }

  logout(): Promise<void> {
    return this.auth.logout();
  }

  /** Closes the connections. The client is unusable afterwards. */
  close(): Promise<void> {
    return this.http.close();
  }

  private async getJson<T>(path: string, schema: ZodType<T>, query?: Record<string, string>): Promise<T> {
    const answer = await this.call({ kind: "other", method: "GET", path, query, accept: (status) => status === 200 });
    return parseAnswer(schema, answer.text, `GET ${path}`);
  }

  /** A Stats API call with the credentials; a 401 drops them so the next login (or call) gets new ones. */
  private async call(call: Omit<UpstreamCall, "headers">): Promise<{ status: number; text: string }> {
    const headers = await this.auth.headers();
    try {
      return await this.http.send({ ...call, headers });
    } catch (error) {
      if (isStatsApiError(error) && error.code === "BP_UNAUTHORIZED") this.auth.invalidate();
      throw error;
    }
  }
}
