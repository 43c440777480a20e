// HTTP basic auth against exporter-toolkit's `basic_auth_users` (user → bcrypt hash).
// bcrypt is slow on purpose, and Prometheus scrapes every few seconds: a verified (user, password) pair is
// remembered under its HMAC-SHA-256 while it is used (the TTL counts from its last use), so only its first
// scrape pays bcrypt. A flood of wrong passwords can never delay it: remembered pairs need no check, a pair
// verified before whose memory lapsed goes ahead of unknown ones, unknown ones wait in a bounded queue
// (more are answered 429 at once), and a refused pair is remembered as refused for the TTL.
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
  /** How long after its last use a verified (user, password) pair is trusted without bcrypt. Default 60 s. */
  cacheTtlMs?: number;
  /** At most this many verified pairs are remembered; the least recently used goes first. Default 100. */
  cacheSize?: number;
  now?: () => number;
  /** At most this many checks of unknown pairs wait their turn; more are answered 429 at once. Default 32. */
  maxWaiting?: number;
  /** At most this many refused pairs are remembered (for the TTL); the oldest goes first. Default 1000. */
  refusedCacheSize?: number;
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

/** A pair verified once: trusted until `trustedUntil`, and known (it goes first in the queue) until `knownUntil`. */
interface Verified {
  trustedUntil: number;
  knownUntil: number;
}

interface Check {
  credentials: Credentials;
  key: string;
  known: boolean;
  resolve: (ok: boolean) => void;
  reject: (error: unknown) => void;
}

/** A pair verified before stays "known" this long after its last use: it skips the queue of unknown pairs. */
const KNOWN_FOR_MS = 24 * 60 * 60 * 1000;

/** Verifies credentials against the configured users. */
export class BasicAuthVerifier {
  private readonly users: { nameDigest: Buffer; hash: string }[];
  /** Insertion order is use order: the first key is the least recently used. */
  private readonly verified = new Map<string, Verified>();
  private readonly refused = new Map<string, number>();
  /** Keys the remembered pairs: without it, a memory dump would allow a fast offline guess at the passwords. */
  private readonly cacheKey = randomBytes(32);
  private readonly ttlMs: number;
  private readonly cacheSize: number;
  private readonly refusedCacheSize: number;
  private readonly now: () => number;
  private readonly compare: (password: string, hash: string) => Promise<boolean>;
  /** bcrypt checks run one at a time (as in exporter-toolkit): a flood of bad logins cannot take every CPU. */
  private readonly knownQueue: Check[] = [];
  private readonly unknownQueue: Check[] = [];
  private checking = false;
  /** Unknown pairs waiting or being checked. */
  private unknownWaiting = 0;
  private readonly maxWaiting: number;
  /** The same pair asked for again while it is checked shares that check. */
  private readonly inFlight = new Map<string, Promise<boolean>>();

  constructor(users: Readonly<Record<string, string>>, options: BasicAuthOptions = {}) {
    this.users = Object.entries(users).map(([name, hash]) => ({ nameDigest: sha256(name), hash }));
    if (this.users.length === 0) throw new Error("basic auth needs at least one user");
    this.ttlMs = options.cacheTtlMs ?? 60_000;
    this.cacheSize = options.cacheSize ?? 100;
    this.refusedCacheSize = options.refusedCacheSize ?? 1000;
    this.now = options.now ?? Date.now;
    this.maxWaiting = options.maxWaiting ?? 32;
    this.compare = options.compare ?? ((password, hash) => sharedBcryptWorker.compare(password, hash));
  }

  async verify(credentials: Credentials): Promise<boolean> {
    const key = createHmac("sha256", this.cacheKey).update(`${credentials.user}\0${credentials.password}`, "utf8").digest("hex");
    const now = this.now();
    const entry = this.verified.get(key);
    if (entry !== undefined && entry.trustedUntil > now) {
      this.remember(key, now);
      return true;
    }
    if ((this.refused.get(key) ?? 0) > now) return false;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const known = entry !== undefined && entry.knownUntil > now;
    if (!known && this.unknownWaiting >= this.maxWaiting) throw new BasicAuthBusyError();
    if (!known) this.unknownWaiting++;
    const check = new Promise<boolean>((resolve, reject) => {
      (known ? this.knownQueue : this.unknownQueue).push({ credentials, key, known, resolve, reject });
    });
    this.inFlight.set(key, check);
    const settled = () => this.inFlight.delete(key);
    check.then(settled, settled);
    this.next();
    return check;
  }

  /** Starts the next check when none runs: known pairs first. */
  private next(): void {
    if (this.checking) return;
    const job = this.knownQueue.shift() ?? this.unknownQueue.shift();
    if (job === undefined) return;
    this.checking = true;
    this.check(job.credentials)
      .then(
        (ok) => {
          if (ok) this.remember(job.key, this.now());
          else this.refuse(job.key);
          job.resolve(ok);
        },
        job.reject,
      )
      .finally(() => {
        if (!job.known) this.unknownWaiting--;
        this.checking = false;
        this.next();
      });
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

  private remember(key: string, now: number): void {
    this.verified.delete(key);
    this.verified.set(key, { trustedUntil: now + this.ttlMs, knownUntil: now + KNOWN_FOR_MS });
    this.refused.delete(key);
    while (this.verified.size > this.cacheSize) this.verified.delete(this.verified.keys().next().value!);
  }

  private refuse(key: string): void {
    this.refused.delete(key);
    this.refused.set(key, this.now() + this.ttlMs);
    while (this.refused.size > this.refusedCacheSize) this.refused.delete(this.refused.keys().next().value!);
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
