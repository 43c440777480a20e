// How the client proves who it is. Two ways (reference/statsapi.md): OAuth client credentials (oauth.ts) and the
// seed's session login with cookies (session.ts). The client only sees this interface.

export interface Authenticator {
  /** Gets a fresh token or session; throws BP_LOGIN_REJECTED / BP_LOGIN_FORBIDDEN / transport errors. */
  login(): Promise<void>;
  /** Headers for a Stats API call; may refresh an expiring token first. */
  headers(): Promise<Record<string, string>>;
  /** The server answered 401: what we hold is no longer valid. */
  invalidate(): void;
  logout(): Promise<void>;
  /** Changes whenever the credentials change: each login, each token refresh (the poller tells planned changes by it). */
  version(): number;
  /** Values that must never appear in an error or a log. */
  secrets(): string[];
}
