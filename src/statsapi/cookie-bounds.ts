// The cookie jar of one upstream, bounded: a server (or something in front of it) that sets new cookies with
// every answer would otherwise grow our Cookie header until every call is refused with 431. Past the bounds
// the newest cookies are dropped, so the session's and the load balancer's (set first) are kept.
import type { Cookie, CookieJar } from "tough-cookie";

/** Cookies kept per upstream. A Bright Pattern session needs two or three. */
export const MAX_COOKIES = 32;
/** Bytes of the Cookie header they may make together; well under the 8–16 KB servers accept. */
export const MAX_COOKIE_BYTES = 4096;

/** Bytes a cookie adds to the Cookie header: `name=value` and the `; ` separator. */
const headerBytes = (cookie: Cookie): number => Buffer.byteLength(cookie.cookieString(), "utf8") + 2;

/** Drops the newest cookies past the bounds; answers how many were dropped. */
export async function boundCookieJar(jar: CookieJar): Promise<number> {
  const cookies = await jar.store.getAllCookies();
  if (cookies.length <= MAX_COOKIES && cookies.reduce((sum, cookie) => sum + headerBytes(cookie), 0) <= MAX_COOKIE_BYTES) return 0;
  // tough-cookie numbers cookies in the order it creates them.
  const oldestFirst = [...cookies].sort((a, b) => a.creationIndex - b.creationIndex);
  let kept = 0;
  let bytes = 0;
  let dropped = 0;
  for (const cookie of oldestFirst) {
    const size = headerBytes(cookie);
    if (kept < MAX_COOKIES && bytes + size <= MAX_COOKIE_BYTES) {
      kept++;
      bytes += size;
    } else {
      await jar.store.removeCookie(cookie.domain, cookie.path, cookie.key);
      dropped++;
    }
  }
  return dropped;
}
