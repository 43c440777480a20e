// Fault switches the tests flip to make the simulator misbehave like a real server or network can.

export interface Faults {
  /** Every token/session now answers 401. */
  expireSessions(): void;
  /** Data answers 404 until the next subscribe. */
  dropSubscriptions(): void;
  /**
   * Every current token/session answers 500 on every call until the client logs in again: a broken session
   * (the vendor's wallboard treats 500 on data as "log in and subscribe again").
   */
  breakSessions(): void;
  /** The API user's privileges from now on (a missing one answers 403); reset() restores the start option. */
  setPrivileges(privileges: readonly string[]): void;
  /** The next `count` requests (to `path` only, if given) answer `status` (default 500). */
  failNext(count: number, status?: number, path?: string): void;
  /** Delay every answer by `ms`. */
  setDelay(ms: number): void;
  /** The next `count` data answers are 200 with broken JSON (the real body with a trailing ",}" instead of "}"). */
  malformedNext(count: number): void;
  /** The next `count` data answers announce the full Content-Length, send half the body, then close the socket. */
  truncateNext(count: number): void;
  /** The next `count` requests (to `path`, default the data path) get their socket destroyed without an answer. */
  resetNext(count: number, path?: string): void;
  /** The next `count` data answers are VALID JSON of at least `bytes` bytes: the real body padded with spaces. */
  hugeNext(count: number, bytes: number): void;
  /**
   * The next `count` data answers are VALID JSON of `bytes` bytes that is slow to parse: the real body with one
   * more top-level member, "padding", a list of small objects (not an app, so the client finds the shape wrong
   * once it has parsed it all). Sent chunked, without Content-Length: a client learns the size only by reading.
   * `item` is one element of the list (default `{"a":1}`); `[]` makes a body that takes far more memory to parse.
   */
  bloatedNext(count: number, bytes: number, item?: string): void;
  /** Subscribe answers 409 while on. */
  forceSubscriptionLimit(on: boolean): void;
  /** Session login answers 403 {"error":"illegal login attempt"} while on. */
  forbidSessionLogin(on: boolean): void;
  /** Clears every pending fault, the delay and the forced switches (sessionLogin returns to the start option). */
  reset(): void;
}

export const DATA_PATH = "/statsapi/subscription/data";

/** Pending faults; the server consumes them. */
export class FaultState {
  delayMs = 0;
  fail = { count: 0, status: 500, path: null as string | null };
  reset = { count: 0, path: DATA_PATH };
  malformed = 0;
  truncate = 0;
  huge = { count: 0, bytes: 0 };
  bloated = { count: 0, bytes: 0, item: '{"a":1}' };
  subscriptionLimit = false;
  sessionLoginForbidden: boolean;
  privileges: ReadonlySet<string>;

  constructor(
    private readonly initiallyForbidden: boolean,
    private readonly initialPrivileges: readonly string[],
  ) {
    this.sessionLoginForbidden = initiallyForbidden;
    this.privileges = new Set(initialPrivileges);
  }

  clear(): void {
    this.delayMs = 0;
    this.fail = { count: 0, status: 500, path: null };
    this.reset = { count: 0, path: DATA_PATH };
    this.malformed = 0;
    this.truncate = 0;
    this.huge = { count: 0, bytes: 0 };
    this.bloated = { count: 0, bytes: 0, item: '{"a":1}' };
    this.subscriptionLimit = false;
    this.sessionLoginForbidden = this.initiallyForbidden;
    this.privileges = new Set(this.initialPrivileges);
  }

  /** Consumes one "fail" for this path; returns the status to answer, or null. */
  takeFailure(path: string): number | null {
    if (this.fail.count <= 0 || (this.fail.path !== null && this.fail.path !== path)) return null;
    this.fail.count--;
    return this.fail.status;
  }

  takeReset(path: string): boolean {
    if (this.reset.count <= 0 || this.reset.path !== path) return false;
    this.reset.count--;
    return true;
  }
}

export function checkCount(name: string, count: number): void {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`faults.${name}: count must be a non-negative integer, got ${count}`);
}
