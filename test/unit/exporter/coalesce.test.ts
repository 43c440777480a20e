import { describe, expect, it } from "vitest";
import { Coalescer } from "../../../src/exporter/coalesce.js";

/** Work that finishes only when told, counting its runs. */
function controlledWork() {
  const finishers: (() => void)[] = [];
  let runs = 0;
  const work = () => {
    const run = ++runs;
    return new Promise<number>((resolve) => finishers.push(() => resolve(run)));
  };
  const finishNext = async () => {
    for (let i = 0; i < 10 && finishers.length === 0; i++) await Promise.resolve();
    finishers.shift()?.();
  };
  return { work, finishNext, runs: () => runs };
}

describe("Coalescer", () => {
  it("runs at most one in flight and one queued, whatever the number of calls", async () => {
    const { work, finishNext, runs } = controlledWork();
    const coalescer = new Coalescer(work);
    const results = Array.from({ length: 50 }, () => coalescer.run());
    expect(runs()).toBe(1);
    await finishNext();
    expect(await results[0]).toBe(1);
    await finishNext();
    // Every call made while the first ran gets the second run's result.
    expect(await Promise.all(results.slice(1))).toEqual(Array.from({ length: 49 }, () => 2));
    expect(runs()).toBe(2);
    // Idle again: the next call runs at once.
    const later = coalescer.run();
    expect(runs()).toBe(3);
    await finishNext();
    expect(await later).toBe(3);
  });

  it("keeps going after a failed run, and idle() waits for the queued one", async () => {
    let calls = 0;
    const coalescer = new Coalescer(async () => {
      calls++;
      if (calls === 1) throw new Error("bad file");
      return calls;
    });
    const first = coalescer.run();
    const second = coalescer.run();
    await expect(first).rejects.toThrow("bad file");
    await coalescer.idle();
    expect(await second).toBe(2);
    expect(await coalescer.run()).toBe(3);
  });

  it("idle() waits for work that runs with nothing queued", async () => {
    const { work, finishNext } = controlledWork();
    const coalescer = new Coalescer(work);
    void coalescer.run();
    let idle = false;
    const waiting = coalescer.idle().then(() => (idle = true));
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(idle).toBe(false);
    await finishNext();
    await waiting;
    expect(idle).toBe(true);
  });

  it("idle() also waits for work started as the previous one ended", async () => {
    const { work, finishNext, runs } = controlledWork();
    const coalescer = new Coalescer(work);
    const first = coalescer.run();
    // Registered before idle(): runs as soon as the first run ends, before idle() looks again.
    const next = first.then(() => coalescer.run());
    let idle = false;
    const waiting = coalescer.idle().then(() => (idle = true));
    await finishNext();
    await first;
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(runs()).toBe(2);
    expect(idle).toBe(false);
    await finishNext();
    await next;
    await waiting;
    expect(idle).toBe(true);
  });

  it("idle() resolves at once when nothing ever ran", async () => {
    await new Coalescer(async () => 1).idle();
  });
});
