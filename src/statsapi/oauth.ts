// OAuth 2.0 client credentials: a Bearer token from {url}{token_path}, refreshed before it expires.
import type { OAuthAuthConfig } from "../config/types.js";
import type { Authenticator } from "./auth.js";
import type { HttpTransport } from "./http.js";
import { parseAnswer, tokenAnswer } from "./schemas.js";

/** Refresh when less than this share of the token's lifetime is left, but at least MIN_MARGIN_MS before. */
const MARGIN_SHARE = 0.1;
const MIN_MARGIN_MS = 30_000;

interface Token {
  value: string;
  /** When to fetch a new one (clock of `now`). Infinity when the server gave no lifetime: refreshed after a 401. */
  refreshAt: number;
}

/** When a token obtained at `obtainedAt` with `lifetimeMs` should be replaced. Never later than half its life. */
export function refreshTime(obtainedAt: number, lifetimeMs: number): number {
  if (!Number.isFinite(lifetimeMs)) return Infinity;
  const margin = Math.min(Math.max(MIN_MARGIN_MS, lifetimeMs * MARGIN_SHARE), lifetimeMs / 2);
  return obtainedAt + lifetimeMs - margin;
}

export class OAuthAuthenticator implements Authenticator {
  private token: Token | undefined;
  /** One token request at a time: concurrent calls share it. */
  private pending: Promise<Token> | undefined;
  private tokensObtained = 0;

  constructor(
    private readonly http: HttpTransport,
    private readonly auth: OAuthAuthConfig,
    private readonly tenantUrl: string,
    private readonly now: () => number,
  ) {}

  async login(): Promise<void> {
    this.token = undefined;
    await this.fetchToken();
  }

  async headers(): Promise<Record<string, string>> {
    const token = this.token !== undefined && this.now() < this.token.refreshAt ? this.token : await this.fetchToken();
    return { authorization: `Bearer ${token.value}` };
  }

  invalidate(): void {
    this.token = undefined;
  }

  // No revocation endpoint is documented: forgetting the token is all a logout can do.
  async logout(): Promise<void> {
    this.token = undefined;
  }

  version(): number {
    return this.tokensObtained;
  }

  secrets(): string[] {
    return this.token === undefined ? [this.auth.client_secret] : [this.auth.client_secret, this.token.value];
  }

  private fetchToken(): Promise<Token> {
    this.pending ??= this.requestToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async requestToken(): Promise<Token> {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: this.auth.client_id,
      client_secret: this.auth.client_secret,
      scope: this.tenantUrl,
    });
    const path = this.auth.token_path;
    const answer = await this.http.send({
      kind: "token",
      method: "POST",
      path,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      accept: (status) => status === 200,
    });
    const obtainedAt = this.now();
    const parsed = parseAnswer(tokenAnswer, answer.text, `POST ${path}`);
    const lifetimeMs = parsed.expires_in === undefined ? Infinity : parsed.expires_in * 1000;
    this.token = { value: parsed.access_token, refreshAt: refreshTime(obtainedAt, lifetimeMs) };
    this.tokensObtained += 1;
    return this.token;
  }
}
