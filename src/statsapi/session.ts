// The seed's session login: POST /statsapi/auth, then the session cookies (kept in the jar by the transport) go
// with every call. Servers from 5.36 refuse it with 403: reported as "use oauth".
import type { CookieJar } from "tough-cookie";
import type { SessionAuthConfig } from "../config/types.js";
import type { Authenticator } from "./auth.js";
import type { HttpTransport } from "./http.js";
import { parseAnswer, sessionAnswer } from "./schemas.js";

const AUTH_PATH = "/statsapi/auth";
/** Session cookie names seen on real servers (reference/statsapi.md). */
const TOKEN_COOKIE = "X-STATSAPI-TOKEN";
const TENANT_COOKIE = "X-STATSAPI-TENANT";

export class SessionAuthenticator implements Authenticator {
  private token: string | undefined;
  private logins = 0;

  constructor(
    private readonly http: HttpTransport,
    private readonly jar: CookieJar,
    private readonly auth: SessionAuthConfig,
    private readonly tenantUrl: string,
  ) {}

  async login(): Promise<void> {
    // A new login starts from an empty jar: stale cookies of an old session must not be mixed in.
    await this.jar.removeAllCookies();
    this.token = undefined;
    const answer = await this.http.send({
      kind: "session_login",
      method: "POST",
      path: AUTH_PATH,
      body: JSON.stringify({ tenant_url: this.tenantUrl, username: this.auth.username, password: this.auth.password }),
      accept: (status) => status === 200,
    });
    this.token = parseAnswer(sessionAnswer, answer.text === "" ? "{}" : answer.text, `POST ${AUTH_PATH}`).token;
    await this.keepToken();
    this.logins += 1;
  }

  /**
   * The session cookie is the credential; the answer's token is the same value. When the server's cookie was not kept
   * (its Domain does not match the upstream url), the token from the answer is sent as that cookie instead.
   */
  private async keepToken(): Promise<void> {
    if (this.token === undefined) return;
    const url = this.http.urlOf("/statsapi/");
    const kept = (await this.jar.getCookies(url)).some((cookie) => cookie.key === TOKEN_COOKIE);
    if (kept) return;
    await this.jar.setCookie(`${TOKEN_COOKIE}=${encodeURIComponent(this.token)}; Path=/`, url);
    await this.jar.setCookie(`${TENANT_COOKIE}=${encodeURIComponent(this.tenantUrl)}; Path=/`, url);
    this.http.logger.warn("the server's session cookie was not kept: sending the token from the login answer as the cookie");
  }

  // The cookies are the credentials; the transport adds them to every call.
  async headers(): Promise<Record<string, string>> {
    return {};
  }

  invalidate(): void {
    this.token = undefined;
  }

  async logout(): Promise<void> {
    try {
      // 401/404: the session is already gone, which is what a logout wants.
      await this.http.send({
        kind: "other",
        method: "DELETE",
        path: AUTH_PATH,
        accept: (status) => (status >= 200 && status < 300) || status === 401 || status === 404,
      });
    } finally {
      this.token = undefined;
      await this.jar.removeAllCookies();
    }
  }

  version(): number {
    return this.logins;
  }

  secrets(): string[] {
    const cookies = (this.jar.serializeSync()?.cookies ?? []).flatMap((cookie) => (cookie.value ? [cookie.value] : []));
    return this.token === undefined ? [this.auth.password, ...cookies] : [this.auth.password, this.token, ...cookies];
  }
}
