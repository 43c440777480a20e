import { errors } from "undici";
import { describe, expect, it } from "vitest";
import { transportError } from "../../../src/statsapi/http.js";

const live = (): AbortSignal => new AbortController().signal;
const aborted = (): AbortSignal => AbortSignal.abort(new DOMException("timed out", "TimeoutError"));

function systemError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("transportError", () => {
  it.each<[string, unknown, AbortSignal, string, RegExp]>([
    ["our deadline", new DOMException("timed out", "TimeoutError"), aborted(), "BP_TIMEOUT", /^GET \/x: no answer within 250 ms$/],
    ["undici headers timeout", new errors.HeadersTimeoutError(), live(), "BP_TIMEOUT", /no answer within 250 ms/],
    ["undici body timeout", new errors.BodyTimeoutError(), live(), "BP_TIMEOUT", /no answer within 250 ms/],
    ["undici connect timeout", new errors.ConnectTimeoutError(), live(), "BP_TIMEOUT", /no answer within 250 ms/],
    ["refused", systemError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:9"), live(), "BP_NETWORK", /^GET \/x: network error: connect ECONNREFUSED 127\.0\.0\.1:9$/],
    ["DNS", systemError("ENOTFOUND", "getaddrinfo ENOTFOUND bp.invalid"), live(), "BP_NETWORK", /network error: getaddrinfo ENOTFOUND bp\.invalid$/],
    ["a code not in the message", systemError("CERT_HAS_EXPIRED", "certificate has expired"), live(), "BP_NETWORK", /network error: CERT_HAS_EXPIRED certificate has expired$/],
    [
      "a socket error with its cause",
      new errors.SocketError("other side closed"),
      live(),
      "BP_NETWORK",
      /network error: UND_ERR_SOCKET other side closed$/,
    ],
    [
      "a fetch-style wrapper",
      Object.assign(new TypeError("fetch failed"), { cause: systemError("ECONNRESET", "read ECONNRESET") }),
      live(),
      "BP_NETWORK",
      /network error: fetch failed: read ECONNRESET$/,
    ],
    ["a thrown string", "boom", live(), "BP_NETWORK", /network error: boom$/],
  ])("%s", (_name, cause, signal, code, message) => {
    const error = transportError(cause, "GET /x", signal, 250);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.cause).toBe(cause);
    expect(error.status).toBeUndefined();
  });
});
