import { describe, expect, it } from "vitest";
import { ContactCenter, NOT_READY_REASONS } from "../../../src/simulator/contact-center.js";
import { loginIdOf, serviceName } from "../../../src/simulator/roster.js";

const center = (seed = 1, agents = 60, services = 6) => new ContactCenter({ seed, agents, services, startEpochSeconds: 1_767_600_000 });
const snapshot = (c: ContactCenter) => JSON.stringify({ agents: c.agents, services: c.services, chat: c.chat, roster: c.roster }, (_k, v: unknown) => (v instanceof Uint32Array ? [...v] : v));

describe("ContactCenter", () => {
  it("replays exactly from the seed, and another seed gives another day", () => {
    const a = center(42);
    const b = center(42);
    a.tick(500);
    b.tick(250);
    b.tick(250);
    expect(snapshot(a)).toBe(snapshot(b));
    const c = center(43);
    c.tick(500);
    expect(snapshot(c)).not.toBe(snapshot(a));
  });

  it("keeps every queued call accounted for: answered + abandoned in queue + waiting", () => {
    const c = center(3, 80, 5);
    for (let step = 0; step < 20; step++) {
      c.tick(60);
      for (const s of c.services) {
        expect(s.answered + s.abandonedInQueue + s.queueArrivals.length).toBe(s.queued);
        expect(s.received).toBeGreaterThanOrEqual(s.queued);
        expect(s.abandonedTotal).toBeGreaterThanOrEqual(s.abandonedInQueue);
        expect(s.shortAbandonedInQueue).toBeLessThanOrEqual(s.abandonedInQueue);
        expect(s.answeredInSl).toBeLessThanOrEqual(s.answered);
        expect(s.queueGiveUps.length).toBe(s.queueArrivals.length);
      }
    }
  });

  it("moves: calls arrive and get answered, agents change state, per-day counts never go down", () => {
    const c = center(5, 60, 6);
    const before = c.services.map((s) => ({ ...s }));
    const handledBefore = c.agents.map((a) => a.inHandled + a.outHandled);
    const statesBefore = c.agents.map((a) => a.state);
    c.tick(1200);
    expect(c.services.reduce((n, s, i) => n + s.answered - (before[i]?.answered ?? 0), 0)).toBeGreaterThan(10);
    c.services.forEach((s, i) => {
      for (const key of ["received", "queued", "answered", "abandonedInQueue", "abandonedTotal", "outAnswered"] as const) {
        expect(s[key]).toBeGreaterThanOrEqual(before[i]?.[key] as number);
      }
    });
    c.agents.forEach((a, i) => expect(a.inHandled + a.outHandled).toBeGreaterThanOrEqual(handledBefore[i] as number));
    expect(c.agents.filter((a, i) => a.state !== statesBefore[i]).length).toBeGreaterThan(10);
  });

  it("keeps each agent's state consistent with its item, reason and timers", () => {
    const c = center(9, 200, 8);
    for (let step = 0; step < 10; step++) {
      c.tick(97);
      for (const a of c.agents) {
        expect(["", "ready", "not_ready", "busy", "after_call_work"]).toContain(a.state);
        expect(a.item !== null).toBe(a.state === "busy");
        if (a.state === "not_ready") expect(NOT_READY_REASONS).toContain(a.reason);
        else expect(a.reason).toBe("");
        expect(["", "not_ready"]).toContain(a.nextState);
        if (a.state !== "") {
          expect(a.stateSince).toBeLessThanOrEqual(c.clock);
          expect(a.loginAt).toBeLessThanOrEqual(a.stateSince);
        }
      }
    }
    const states = new Set(c.agents.map((a) => a.state));
    expect([...states].sort()).toEqual(["", "after_call_work", "busy", "not_ready", "ready"]);
  });

  it("writes chat messages with unique ids, bounded history", () => {
    const c = center(11, 30, 3);
    c.tick(20_000);
    const ids = c.chat.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeLessThanOrEqual(200);
    expect(ids.length).toBeGreaterThan(100);
  });
});

describe("roster", () => {
  it("names services realistically, numeric names included, and unique for large tenants", () => {
    expect([0, 1, 2].map(serviceName)).toEqual(["Sales", "Support", "Billing"]);
    // The demo's six (the default size) read like a contact center's queues; larger tenants include a numeric name.
    expect(Array.from({ length: 6 }, (_, i) => serviceName(i))).toEqual(["Sales", "Support", "Billing", "Technical Support", "Retention", "Collections"]);
    expect(Array.from({ length: 16 }, (_, i) => serviceName(i))).toContain("4410");
    const many = Array.from({ length: 500 }, (_, i) => serviceName(i));
    expect(new Set(many).size).toBe(500);
  });

  it("makes ASCII login ids from non-ASCII names and keeps them unique", () => {
    expect(loginIdOf("José", "Núñez")).toBe("jnunez");
    expect(loginIdOf("Zoë", "Søren")).toBe("zsoren");
    expect(loginIdOf("Aoife", "O'Brien")).toBe("aobrien");
    const c = center(1, 2000, 10);
    const logins = c.roster.agents.map((a) => a.loginId);
    expect(new Set(logins).size).toBe(logins.length);
    expect(c.roster.agents.some((a) => /[^\x20-\x7e]/.test(`${a.firstName}${a.lastName}`))).toBe(true);
    expect(c.roster.agents.every((a) => a.services.length > 0)).toBe(true);
  });
});

describe("day boundary", () => {
  it("restarts per-day counts at UTC midnight and keeps the queue accounting exact", () => {
    const midnight = Date.UTC(2026, 0, 6) / 1000;
    const c = new ContactCenter({ seed: 2, agents: 100, services: 4, startEpochSeconds: midnight - 100 });
    c.tick(99);
    const before = c.services.reduce((n, s) => n + s.received, 0);
    expect(before).toBeGreaterThan(100);
    const since = c.agents.map((a) => a.stateSince);
    c.tick(1);
    expect(c.services.reduce((n, s) => n + s.received, 0)).toBeLessThan(5);
    expect(c.agents.every((a) => a.inHandled + a.outHandled === 0)).toBe(true);
    c.agents.forEach((a, i) => {
      if (a.stateSince !== since[i]) return; // changed state this very second
      const open = { ready: a.readySeconds, not_ready: a.notReadySeconds, busy: a.busySeconds, after_call_work: a.acwSeconds }[a.state as "ready"];
      if (a.state !== "") expect(open + c.clock - a.stateSince).toBe(c.epochSeconds - midnight); // today so far
    });
    c.tick(600);
    const readyToday = c.agents.map((a) => a.readySeconds + (a.state === "ready" ? c.clock - a.stateSince : 0));
    expect(Math.max(...readyToday)).toBeLessThanOrEqual(600);
    expect(Math.min(...readyToday)).toBeGreaterThanOrEqual(0);
    for (const s of c.services) expect(s.answered + s.abandonedInQueue + s.queueArrivals.length).toBe(s.queued);
    expect(c.services.reduce((n, s) => n + s.answered, 0)).toBeGreaterThan(0);
  });
});
