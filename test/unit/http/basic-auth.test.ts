import { Readable } from "node:stream";
import bcrypt from "bcryptjs";
import { describe, expect, it, vi } from "vitest";
import { BasicAuthBusyError, BasicAuthVerifier, isBcryptHash, parseBasicAuthorization } from "../../../src/http/basic-auth.js";
import { BcryptWorker } from "../../../src/http/bcrypt-worker.js";
import { hashPassword, readFirstLine } from "../../../src/http/password-hash.js";

// Cost 4: real bcrypt, fast enough for tests.
const ALICE = bcrypt.hashSync("alice-password", 4);
const BOB = bcrypt.hashSync("bob-secret", 4).replace(/^\$2b\$/, "$2y$");
const LONG = "x".repeat(72);
const CAROL = bcrypt.hashSync(LONG, 4);

const basic = (text: string) => `Basic ${Buffer.from(text, "utf8").toString("base64")}`;

/** A verifier whose bcrypt calls are counted and whose clock is set by hand. */
function counted(users: Record<string, string> = { alice: ALICE, bob: BOB }, options: { cacheTtlMs?: number; cacheSize?: number } = {}) {
  const clock = { now: 1_000_000 };
  const compared: string[] = [];
  const verifier = new BasicAuthVerifier(users, {
    ...options,
    now: () => clock.now,
    compare: (password, hash) => {
      compared.push(hash);
      return bcrypt.compare(password, hash);
    },
  });
  return { verifier, clock, compared };
}

describe("parseBasicAuthorization", () => {
  it.each([
    [basic("alice:alice-password"), { user: "alice", password: "alice-password" }],
    [basic("alice:pa:ss:"), { user: "alice", password: "pa:ss:" }],
    [basic(":"), { user: "", password: "" }],
    [basic("jürgen:pässword"), { user: "jürgen", password: "pässword" }],
    [`bAsIc   ${Buffer.from("a:b").toString("base64")}`, { user: "a", password: "b" }],
  ])("%s", (header, expected) => {
    expect(parseBasicAuthorization(header)).toEqual(expected);
  });

  it.each([undefined, "", "Basic", "Basic ", basic("no-colon"), `Bearer ${Buffer.from("a:b").toString("base64")}`, "Basic a:b", "Basic YTpi YTpi"])(
    "refuses %s",
    (header) => {
      expect(parseBasicAuthorization(header)).toBeUndefined();
    },
  );
});

describe("isBcryptHash", () => {
  it("accepts $2a$, $2b$, $2y$ with costs 04-31", () => {
    expect(isBcryptHash(ALICE)).toBe(true);
    expect(isBcryptHash(BOB)).toBe(true);
    expect(isBcryptHash(ALICE.replace(/^\$2b\$04/, "$2a$31"))).toBe(true);
  });

  it.each([
    ["cost 32", ALICE.replace("$04$", "$32$")],
    ["one-digit cost", ALICE.replace("$04$", "$4$")],
    ["$2$", ALICE.replace("$2b$", "$2$")],
    ["too long", `${ALICE}A`],
    ["not bcrypt's alphabet", `${ALICE.slice(0, -1)}+`],
    ["a trailing newline", `${ALICE}\n`],
  ])("refuses %s", (_name, hash) => {
    expect(isBcryptHash(hash)).toBe(false);
  });
});

describe("BasicAuthVerifier", () => {
  it("accepts each user's own password only", async () => {
    const { verifier } = counted();
    expect(await verifier.verify({ user: "alice", password: "alice-password" })).toBe(true);
    expect(await verifier.verify({ user: "bob", password: "bob-secret" })).toBe(true);
    expect(await verifier.verify({ user: "alice", password: "bob-secret" })).toBe(false);
    expect(await verifier.verify({ user: "bob", password: "alice-password" })).toBe(false);
    expect(await verifier.verify({ user: "Alice", password: "alice-password" })).toBe(false);
    expect(await verifier.verify({ user: "alice", password: "" })).toBe(false);
  });

  it("pays one bcrypt compare for an unknown user, and refuses even a known user's password", async () => {
    const { verifier, compared } = counted();
    expect(await verifier.verify({ user: "mallory", password: "alice-password" })).toBe(false);
    expect(compared).toHaveLength(1);
  });

  it("remembers a verified pair until the TTL ends", async () => {
    const { verifier, clock, compared } = counted({ alice: ALICE }, { cacheTtlMs: 10_000 });
    const good = { user: "alice", password: "alice-password" };
    for (let i = 0; i < 5; i++) expect(await verifier.verify(good)).toBe(true);
    expect(compared).toHaveLength(1);
    for (const password of ["wrong1", "wrong2", "wrong3"]) expect(await verifier.verify({ user: "alice", password })).toBe(false);
    expect(compared).toHaveLength(4);
    clock.now += 9_999;
    expect(await verifier.verify(good)).toBe(true);
    expect(compared).toHaveLength(4);
    clock.now += 10_000;
    expect(await verifier.verify(good)).toBe(true);
    expect(compared).toHaveLength(5);
  });

  it("keeps a pair in use remembered past the TTL (the TTL counts from its last use)", async () => {
    const { verifier, clock, compared } = counted({ alice: ALICE }, { cacheTtlMs: 10_000 });
    const good = { user: "alice", password: "alice-password" };
    // Scraped every 5 s for two minutes: one bcrypt in all.
    for (let i = 0; i < 24; i++) {
      expect(await verifier.verify(good)).toBe(true);
      clock.now += 5_000;
    }
    expect(compared).toHaveLength(1);
    // Unused for longer than the TTL: checked again.
    clock.now += 10_000;
    expect(await verifier.verify(good)).toBe(true);
    expect(compared).toHaveLength(2);
  });

  it("answers a repeated wrong pair from memory: a misconfigured scraper or a replayed flood costs one bcrypt", async () => {
    const { verifier, compared } = counted({ alice: ALICE }, { cacheTtlMs: 10_000 });
    for (let i = 0; i < 20; i++) expect(await verifier.verify({ user: "alice", password: "wrong" })).toBe(false);
    expect(compared).toHaveLength(1);
  });

  it("lets a pair verified before jump the queue of unknown ones, even when that queue is full", async () => {
    const clock = { now: 0 };
    const gates: { password: string; release: () => void }[] = [];
    const verifier = new BasicAuthVerifier(
      { alice: ALICE },
      {
        maxWaiting: 2,
        cacheTtlMs: 10_000,
        now: () => clock.now,
        compare: async (password, hash) => {
          await new Promise<void>((release) => gates.push({ password, release }));
          return bcrypt.compare(password, hash);
        },
      },
    );
    const good = { user: "alice", password: "alice-password" };
    const first = verifier.verify(good);
    await vi.waitFor(() => expect(gates).toHaveLength(1));
    gates.shift()!.release();
    expect(await first).toBe(true);
    // Prometheus paused for longer than the TTL; meanwhile a flood fills the queue.
    clock.now += 60_000;
    const flood = [verifier.verify({ user: "alice", password: "a" }), verifier.verify({ user: "alice", password: "b" })];
    await expect(verifier.verify({ user: "alice", password: "c" })).rejects.toBeInstanceOf(BasicAuthBusyError);
    const back = verifier.verify(good);
    await vi.waitFor(() => expect(gates).toHaveLength(1));
    expect(gates[0]!.password).toBe("a");
    gates.shift()!.release();
    // Next in line: the known pair, not the flood's "b".
    await vi.waitFor(() => expect(gates).toHaveLength(1));
    expect(gates[0]!.password).toBe("alice-password");
    gates.shift()!.release();
    expect(await back).toBe(true);
    await vi.waitFor(() => expect(gates).toHaveLength(1));
    gates.shift()!.release();
    expect(await Promise.all(flood)).toEqual([false, false]);
  });

  it("checks concurrent requests with the same pair once", async () => {
    const { verifier, compared } = counted();
    const results = await Promise.all(Array.from({ length: 10 }, () => verifier.verify({ user: "bob", password: "bob-secret" })));
    expect(results).toEqual(Array(10).fill(true));
    expect(compared).toHaveLength(1);
  });

  it("forgets the oldest pair beyond its size", async () => {
    const { verifier, compared } = counted({ alice: ALICE, bob: BOB }, { cacheSize: 1 });
    await verifier.verify({ user: "alice", password: "alice-password" });
    await verifier.verify({ user: "bob", password: "bob-secret" });
    await verifier.verify({ user: "bob", password: "bob-secret" });
    expect(compared).toHaveLength(2);
    await verifier.verify({ user: "alice", password: "alice-password" });
    expect(compared).toHaveLength(3);
  });

  it("refuses passwords longer than the 72 bytes bcrypt reads, which would otherwise match on their prefix", async () => {
    const { verifier } = counted({ carol: CAROL });
    expect(bcrypt.compareSync(`${LONG}anything`, CAROL)).toBe(true);
    expect(await verifier.verify({ user: "carol", password: LONG })).toBe(true);
    expect(await verifier.verify({ user: "carol", password: `${LONG}anything` })).toBe(false);
  });

  it("refuses more waiting checks than its limit at once, but lets remembered pairs through", async () => {
    const gates: (() => void)[] = [];
    const verifier = new BasicAuthVerifier(
      { alice: ALICE },
      {
        maxWaiting: 2,
        compare: async (password, hash) => {
          await new Promise<void>((release) => gates.push(release));
          return bcrypt.compare(password, hash);
        },
      },
    );
    const first = verifier.verify({ user: "alice", password: "alice-password" });
    await vi.waitFor(() => expect(gates).toHaveLength(1));
    gates.shift()!();
    expect(await first).toBe(true);
    const waiting = [verifier.verify({ user: "alice", password: "a" }), verifier.verify({ user: "alice", password: "b" })];
    await expect(verifier.verify({ user: "alice", password: "c" })).rejects.toBeInstanceOf(BasicAuthBusyError);
    expect(await verifier.verify({ user: "alice", password: "alice-password" })).toBe(true);
    for (let released = 0; released < 2; released++) {
      await vi.waitFor(() => expect(gates).toHaveLength(1));
      gates.shift()!();
    }
    expect(await Promise.all(waiting)).toEqual([false, false]);
    // Room again once they are done.
    const again = verifier.verify({ user: "alice", password: "d" });
    await vi.waitFor(() => expect(gates).toHaveLength(1));
    gates.shift()!();
    expect(await again).toBe(false);
  });

  it("needs at least one user", () => {
    expect(() => new BasicAuthVerifier({})).toThrow("at least one user");
  });
});

describe("hashPassword", () => {
  it("makes a hash the loader accepts and the verifier checks", async () => {
    const hash = await hashPassword("s3cret pässword", 4);
    expect(hash).toMatch(/^\$2b\$04\$/);
    expect(isBcryptHash(hash)).toBe(true);
    const verifier = new BasicAuthVerifier({ prometheus: hash });
    expect(await verifier.verify({ user: "prometheus", password: "s3cret pässword" })).toBe(true);
    expect(await verifier.verify({ user: "prometheus", password: "s3cret password" })).toBe(false);
  });

  it.each([
    ["", 4, "empty"],
    ["ü".repeat(37), 4, "longer than 72 bytes"],
    ["ok", 3, "from 4 to 31"],
    ["ok", 10.5, "from 4 to 31"],
  ])("refuses %j at cost %d", async (password, cost, message) => {
    await expect(hashPassword(password, cost)).rejects.toThrow(message);
  });

  it("reads the first line of its input, without the line ending", async () => {
    expect(await readFirstLine(Readable.from(["pass", "word\r\nrest\n"]))).toBe("password");
    expect(await readFirstLine(Readable.from(["no newline"]))).toBe("no newline");
    expect(await readFirstLine(Readable.from([]))).toBe("");
  });
});

describe("BcryptWorker", () => {
  it("compares like bcrypt, with bad hashes refused rather than thrown", async () => {
    const worker = new BcryptWorker();
    try {
      expect(await worker.compare("alice-password", ALICE)).toBe(true);
      expect(await worker.compare("bob-secret", BOB)).toBe(true);
      expect(await worker.compare("alice-password", BOB)).toBe(false);
      expect(await worker.compare("alice-password", "not a hash")).toBe(false);
      const answers = await Promise.all([worker.compare("x", ALICE), worker.compare("alice-password", ALICE)]);
      expect(answers).toEqual([false, true]);
    } finally {
      await worker.close();
    }
  });

  it("keeps the event loop free while bcrypt works (bcryptjs' own async compare blocks it in 100 ms slices)", async () => {
    const worker = new BcryptWorker();
    const hash = bcrypt.hashSync("pw", 10);
    await worker.compare("warm", ALICE);
    const ticksDuring = async (compare: () => Promise<boolean>) => {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      const started = performance.now();
      await compare();
      clearInterval(timer);
      return { ticks, ms: performance.now() - started };
    };
    try {
      const off = await ticksDuring(() => worker.compare("pw", hash));
      const on = await ticksDuring(() => bcrypt.compare("pw", hash));
      // A timer of 1 ms fires about once per free millisecond: many times beside the worker, barely beside bcryptjs.
      expect(off.ticks).toBeGreaterThan(off.ms / 10);
      expect(on.ticks).toBeLessThan(on.ms / 10);
    } finally {
      await worker.close();
    }
  });

  it("starts again after it was closed, and fails pending compares on close", async () => {
    const worker = new BcryptWorker();
    const pending = worker.compare("alice-password", ALICE);
    await worker.close();
    await expect(pending).rejects.toThrow("bcrypt worker exited");
    expect(await worker.compare("alice-password", ALICE)).toBe(true);
    await worker.close();
  });
});
