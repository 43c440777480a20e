// Three exporter processes (--shard 0/3, 1/3 and 2/3 from the environment) over twelve simulated tenants:
// each tenant is polled by exactly one of them (the simulator's request log: one login and one subscription
// a tenant), and the union of their /metrics holds every tenant once. Then four processes: at most 5 of the
// 12 tenants move, each to the new shard.
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../../src/simulator/index.js";
import { type CliProcess, killCli, listeningUrl, startCli, tempConfig } from "../../support/cli.js";
import { eventually } from "../../support/eventually.js";
import { tenantsConfigText } from "../../support/tenants.js";
import { readExposition } from "../../unit/metrics/exposition-reader.js";

const NAMES = Array.from({ length: 12 }, (_, i) => `tenant-${String(i + 1).padStart(2, "0")}`);
const TOKEN = "/configapi/v2/oauth/token";
const SUBSCRIBE = "/statsapi/subscription";

let sim: Simulator;
let configPath: string;
const children: CliProcess[] = [];

beforeAll(async () => {
  sim = await startSimulator({ tenants: 12, warmupPolls: 0, tickMs: 0 });
  const specs = NAMES.map((name, i) => ({ name, url: sim.url, tenantUrl: sim.tenants[i]! }));
  configPath = await tempConfig(tenantsConfigText(specs, { interval: "500ms", max_backoff: "2s", stale_after: "20s" }, "2s"));
});

afterAll(async () => {
  await Promise.all(children.map((child) => killCli(child)));
  await sim?.close();
});

/** Starts `count` exporters, the last one taking its shard from the environment; resolves with their URLs. */
async function startShards(count: number): Promise<{ urls: string[]; stop(): Promise<void> }> {
  const started = Array.from({ length: count }, (_, index) => {
    const last = index === count - 1;
    const args = ["run", "--config", configPath, "--listen", "127.0.0.1:0", ...(last ? [] : ["--shard", `${index}/${count}`])];
    const child = startCli(args, last ? { BRIGHTPATTERN_EXPORTER_SHARD: `${index}/${count}` } : {});
    children.push(child);
    return child;
  });
  const urls = await Promise.all(started.map((child) => eventually(() => listeningUrl(child.output().stderr), 30_000, "exporter started")));
  return {
    urls,
    stop: async () => {
      await Promise.all(started.map(async (child) => {
        const exited = once(child, "exit");
        child.kill("SIGTERM");
        await exited;
      }));
    },
  };
}

/** Which shard serves each tenant, from the union of the exporters' /metrics (each tenant's up must be 1). */
async function owners(urls: string[]): Promise<Map<string, number[]>> {
  return eventually(async () => {
    const found = new Map<string, number[]>();
    for (const [index, url] of urls.entries()) {
      const samples = readExposition(await (await fetch(`${url}/metrics`)).text());
      for (const sample of samples.filter((s) => s.name === "brightpattern_up" && s.value === 1)) {
        found.set(sample.labels.tenant!, [...(found.get(sample.labels.tenant!) ?? []), index]);
      }
    }
    return NAMES.every((name) => found.has(name)) && found;
  }, 30_000, "every tenant up");
}

describe("three shards over twelve tenants, then four", () => {
  let three: Map<string, number[]>;

  it("polls each tenant from exactly one process, and the union of /metrics holds each tenant once", async () => {
    const shards = await startShards(3);
    three = await owners(shards.urls);
    for (const name of NAMES) expect(three.get(name), name).toHaveLength(1);
    expect(new Set([...three.values()].flat())).toEqual(new Set([0, 1, 2]));
    // The simulator's log: one login and one subscription a tenant, whichever process holds it.
    for (const tenantUrl of sim.tenants) {
      const ok = (path: string) => sim.requests.filter((r) => r.tenant === tenantUrl && r.path === path && r.status === 200).length;
      expect(ok(TOKEN), tenantUrl).toBe(1);
      expect(ok(SUBSCRIBE), tenantUrl).toBe(1);
    }
    await shards.stop();
    // Each process deleted its tenants' subscriptions on SIGTERM.
    expect(sim.activeSubscriptions()).toBe(0);
  });

  it("moves at most 5 tenants going to four processes, each to the new shard", async () => {
    const shards = await startShards(4);
    const four = await owners(shards.urls);
    for (const name of NAMES) expect(four.get(name), name).toHaveLength(1);
    const moved = NAMES.filter((name) => four.get(name)![0] !== three.get(name)![0]);
    expect(moved.length).toBeLessThanOrEqual(5);
    for (const name of moved) expect(four.get(name), name).toEqual([3]);
    await shards.stop();
  });
});
