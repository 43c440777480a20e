// HTTP basic auth against exporter-toolkit's `basic_auth_users` (user → bcrypt hash).
// bcrypt is slow on purpose, and Prometheus scrapes every few seconds: a verified (user, password) pair is
// remembered for a while under its HMAC-SHA-256, so only the first scrape (and each after the TTL) pays bcrypt.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { sharedBcryptWorker } from "./bcrypt-worker.js";

export const REALM = "brightpattern-exporter";
const CHALLENGE = `Basic realm="${REALM}"`;

/** $2a$/$2b$/$2y$, a two-digit cost 04-31, then 53 characters of salt and hash in bcrypt's base64. */
const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

export function isBcryptHash(text: string): boolean {
  return BCRYPT_HASH.test(text);
}

/** bcrypt only reads the first 72 bytes: a longer password would match any password sharing them. */
export const BCRYPT_MAX_PASSWORD_BYTES = 72;

export interface BasicAuthOptions {
  /** How long a verified (user, password) pair is trusted without bcrypt. Default 60 s. */
  cacheTtlMs?: number;
  /** At most this many pairs are remembered; the oldest goes first. Default 100. */
  cacheSize?: number;
  now?: () => number;
  /** At most this many bcrypt checks wait their turn; more are answered 429 at once. Default 32. */
  maxWaiting?: number;
  /** bcrypt compare (injectable to count calls in tests). Default: in a worker thread. */
  compare?: (password: string, hash: string) => Promise<boolean>;
}

export interface Credentials {
  user: string;
  password: string;
}

/** `Basic base64(user:password)` → the pair, or undefined for anything else. The scheme name is case-insensitive. */
export function parseBasicAuthorization(header: string | undefined): Credentials | undefined {
  const match = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header ?? "");
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon === -1) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Too many bcrypt checks are waiting: a flood of logins must not queue without bound. */
export class BasicAuthBusyError extends Error {
  constructor() {
    super("too many password checks waiting");
    this.name = "BasicAuthBusyError";
  }
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** Verifies credentials against the configured users. */
export class BasicAuthVerifier {
  private readonly users: { nameDigest: Buffer; hash: string }[];
  private readonly verified = new Map<string, number>();
  /** Keys the remembered pairs: without it, a memory dump would allow a fast offline guess at the passwords. */
  private readonly cacheKey = randomBytes(32);
  private readonly ttlMs: number;
  private readonly cacheSize: number;
  private readonly now: () => number;
  private readonly compare: (password: string, hash: string) => Promise<boolean>;
  /** bcrypt checks run one at a time (as in exporter-toolkit): a flood of bad logins cannot take every CPU. */
  private queue: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private readonly maxWaiting: number;

  constructor(users: Readonly<Record<string, string>>, options: BasicAuthOptions = {}) {
    this.users = Object.entries(users).map(([name, hash]) => ({ nameDigest: sha256(name), hash }));
    if (this.users.length === 0) throw new Error("basic auth needs at least one user");
    this.ttlMs = options.cacheTtlMs ?? 60_000;
    this.cacheSize = options.cacheSize ?? 100;
    this.now = options.now ?? Date.now;
    this.maxWaiting = options.maxWaiting ?? 32;
    this.compare = options.compare ?? ((password, hash) => sharedBcryptWorker.compare(password, hash));
  }

  async verify(credentials: Credentials): Promise<boolean> {
    const key = createHmac("sha256", this.cacheKey).update(`${credentials.user}\0${credentials.password}`, "utf8").digest("hex");
    if (this.isCached(key)) return true;
    // Remembered pairs never wait, so Prometheus keeps scraping through a flood of wrong passwords.
    if (this.waiting >= this.maxWaiting) throw new BasicAuthBusyError();
    this.waiting++;
    const run = this.queue.then(async () => {
      try {
        // Another request with the same pair may have been verified while this one waited.
        if (this.isCached(key)) return true;
        const ok = await this.check(credentials);
        if (ok) this.remember(key);
        return ok;
      } finally {
        this.waiting--;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async check({ user, password }: Credentials): Promise<boolean> {
    // Compare every name (digests have equal length, so timingSafeEqual applies) without stopping early.
    const digest = sha256(user);
    let found: { hash: string } | undefined;
    for (const candidate of this.users) if (timingSafeEqual(candidate.nameDigest, digest)) found = candidate;
    const tooLong = Buffer.byteLength(password, "utf8") > BCRYPT_MAX_PASSWORD_BYTES;
    // An unknown user still costs one bcrypt compare (against a real hash), so timing does not tell which users exist.
    const matches = await this.compare(password, (found ?? this.users[0]!).hash);
    return found !== undefined && matches && !tooLong;
  }

  private isCached(key: string): boolean {
    const expires = this.verified.get(key);
    if (expires === undefined) return false;
    if (expires > this.now()) return true;
    this.verified.delete(key);
    return false;
  }

  private remember(key: string): void {
    this.verified.delete(key);
    this.verified.set(key, this.now() + this.ttlMs);
    // Maps iterate in insertion order: the first key is the oldest.
    while (this.verified.size > this.cacheSize) this.verified.delete(this.verified.keys().next().value!);
  }
}

/** Express middleware: 401 with a Basic challenge unless the request carries a configured user's password. */
export function basicAuthGuard(users: Readonly<Record<string, string>>, options: BasicAuthOptions = {}): RequestHandler {
  const verifier = new BasicAuthVerifier(users, options);
  return (req, res, next) => {
    const credentials = parseBasicAuthorization(req.headers.authorization);
    const verdict = credentials ? verifier.verify(credentials) : Promise.resolve(false);
    verdict.then(
      (ok) => {
        if (ok) {
          next();
          return;
        }
        res.setHeader("WWW-Authenticate", CHALLENGE);
        res.status(401).type("text/plain").send("unauthorized\n");
      },
      (error: unknown) => {
        if (!(error instanceof BasicAuthBusyError)) {
          next(error);
          return;
        }
        res.setHeader("Retry-After", "1");
        res.status(429).type("text/plain").send("too many password checks, try again\n");
      },
    );
  };
}
