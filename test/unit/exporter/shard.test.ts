import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SHARD_ENV, ordinalOf, ownerOf, parseShard, tenantsOfShard } from "../../../src/exporter/shard.js";

const names = (n: number, prefix = "tenant") => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(2, "0")}`);

describe("ownerOf (rendezvous hashing)", () => {
  it("is stable: the same tenant and count give the same shard", () => {
    for (const name of names(50)) expect(ownerOf(name, 7)).toBe(ownerOf(name, 7));
    expect(ownerOf("anything", 1)).toBe(0);
  });

  it("gives each of N shards about 1/N of the tenants", () => {
    const counts = [0, 0, 0, 0];
    for (const name of names(2000, "t")) counts[ownerOf(name, 4)]!++;
    for (const count of counts) expect(count).toBeGreaterThan(400); // 500 expected
  });

  it.each([1, 2, 3, 4, 7])("moves about 1/(N+1) of 2000 tenants from N=%i to N+1, each to the new shard", (n) => {
    const all = names(2000, "tenant");
    const moved = all.filter((name) => ownerOf(name, n) !== ownerOf(name, n + 1));
    for (const name of moved) expect(ownerOf(name, n + 1)).toBe(n); // none moves between the shards that stay
    const expected = all.length / (n + 1);
    expect(moved.length).toBeGreaterThan(expected * 0.8);
    expect(moved.length).toBeLessThan(expected * 1.2);
  });

  it("moves at most 5 of the 12 test tenants from 3 to 4 shards (the sharding integration test's names)", () => {
    const moved = names(12).filter((name) => ownerOf(name, 3) !== ownerOf(name, 4));
    expect(moved.length).toBeLessThanOrEqual(5);
  });
});

describe("tenantsOfShard", () => {
  it("splits the tenants: each in exactly one shard", () => {
    const tenants = names(30).map((name) => ({ name }));
    const parts = [0, 1, 2].map((index) => tenantsOfShard(tenants, { index, count: 3 }));
    expect(parts.flat().map((t) => t.name).sort()).toEqual(tenants.map((t) => t.name));
    expect(tenantsOfShard(tenants, undefined)).toEqual(tenants);
  });
});

describe("parseShard", () => {
  it.each([
    ["0/3", { index: 0, count: 3 }],
    [" 2 / 3 ", { index: 2, count: 3 }],
    ["0/1", { index: 0, count: 1 }],
    ["hostname/4", { index: 3, count: 4 }],
    ["brightpattern-exporter-1/2", { index: 1, count: 2 }],
  ])("%s", (text, shard) => {
    expect(parseShard(text, "brightpattern-exporter-3")).toEqual({ shard });
  });

  it.each([
    ["3/3", "INDEX must be below COUNT, got 3/3"],
    ["0/0", "COUNT must be from 1 to 1000, got 0"],
    ["1", "expected INDEX/COUNT"],
    ["-1/3", "no ordinal"],
    ["hostname/3", 'no ordinal at the end of "laptop"'],
    ["a/b", "expected INDEX/COUNT"],
  ])("refuses %s", (text, message) => {
    const result = parseShard(text, "laptop");
    expect("error" in result && result.error).toContain(message);
  });

  it("takes the ordinal from a pod name or a fully qualified hostname", () => {
    expect(ordinalOf("exporter-12")).toBe(12);
    expect(ordinalOf("exporter-2.exporter.monitoring.svc")).toBe(2);
    expect(ordinalOf("exporter")).toBeUndefined();
  });
});

describe("parseShard at its edges", () => {
  it.each([
    ["11/12", { index: 11, count: 12 }],
    ["999/1000", { index: 999, count: 1000 }],
    ["x-3/4", { index: 3, count: 4 }],
  ])("accepts %s", (text, shard) => {
    expect(parseShard(text, "laptop")).toEqual({ shard });
  });

  it.each([
    ["0/1001", "COUNT must be from 1 to 1000, got 1001"],
    ["0/1/3", 'expected INDEX/COUNT with 0 <= INDEX < COUNT (e.g. "1/3")'],
    ["1/3x", 'expected INDEX/COUNT with 0 <= INDEX < COUNT (e.g. "1/3")'],
    ["2a/3", 'no ordinal at the end of "2a"'],
  ])("refuses %s", (text, message) => {
    const result = parseShard(text, "laptop");
    expect("error" in result && result.error).toContain(message);
  });

  it("takes an ordinal only from a whole DNS-style name ending in -N", () => {
    expect(ordinalOf("a-1")).toBe(1);
    expect(ordinalOf("my_pod-2")).toBeUndefined();
    expect(ordinalOf("exporter-2x")).toBeUndefined();
  });
});

describe("SHARD_ENV", () => {
  it("is the variable the sharded StatefulSet sets", () => {
    const manifest = readFileSync(new URL("../../../deploy/kubernetes/overlays/sharded/statefulset.yaml", import.meta.url), "utf8");
    expect(manifest).toMatch(new RegExp(`- name: ${SHARD_ENV}\\n`));
    expect(SHARD_ENV).toMatch(/^[A-Z_]+$/);
  });
});
