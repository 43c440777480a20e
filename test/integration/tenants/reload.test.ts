// A reload adds, changes and removes one tenant each (tenants_dir files) without touching the others'
// sessions or subscriptions: the simulator's request log shows no new login or subscription for them.
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCheckedConfigFile } from "../../../src/exporter/checked-config.js";
import { type Exporter, startExporter } from "../../../src/exporter/exporter.js";
import { type Simulator, startSimulator } from "../../../src/simulator/index.js";
import { eventually } from "../../support/eventually.js";
import { tenantsConfigText } from "../../support/tenants.js";
import { readExposition } from "../../unit/metrics/exposition-reader.js";

let sim: Simulator;
let exporter: Exporter;
let dir: string;

/** A tenant file: the tenants form's entry for one tenant, without its name (the file names it). */
function tenantFile(index: number, edit: (tenant: Record<string, unknown>) => void = () => undefined): string {
  const tree = JSON.parse(tenantsConfigText([{ name: "x", url: sim.url, tenantUrl: sim.tenants[index]! }], {})) as { tenants: Record<string, unknown>[] };
  const { name: _name, ...tenant } = tree.tenants[0]!;
  edit(tenant);
  return JSON.stringify(tenant);
}

const count = (tenantUrl: string, method: string, path: string) =>
  sim.requests.filter((r) => r.tenant === tenantUrl && r.method === method && r.path === path && r.status === 200).length;
const logins = (t: string) => count(t, "POST", "/configapi/v2/oauth/token");
const subscriptions = (t: string) => count(t, "POST", "/statsapi/subscription");
const deletions = (t: string) => count(t, "DELETE", "/statsapi/subscription/active");

async function upTenants(): Promise<Map<string, number>> {
  const samples = readExposition(await (await fetch(`${exporter.url}/metrics`)).text());
  return new Map(samples.filter((s) => s.name === "brightpattern_up").map((s) => [s.labels.tenant!, s.value]));
}

beforeAll(async () => {
  sim = await startSimulator({ tenants: 4, warmupPolls: 0, tickMs: 0 });
  dir = await mkdtemp(join(tmpdir(), "bp-tenants-reload-"));
  await mkdir(join(dir, "tenants"));
  await writeFile(join(dir, "config.yaml"), JSON.stringify({ poll: { interval: "300ms", max_backoff: "1s", stale_after: "10s" }, web: { listen_address: "127.0.0.1:0" }, tenants_dir: "tenants" }));
  for (const [index, name] of ["alpha", "bravo", "charlie"].entries()) await writeFile(join(dir, "tenants", `${name}.yaml`), tenantFile(index));
  const configPath = join(dir, "config.yaml");
  exporter = await startExporter({ ...(await loadCheckedConfigFile(configPath, {})), configPath, env: {}, logger: pino({ level: "silent" }) });
  await eventually(async () => {
    const up = await upTenants();
    return ["alpha", "bravo", "charlie"].every((t) => up.get(t) === 1);
  }, 15_000, "three tenants up");
});

afterAll(async () => {
  await exporter?.stop();
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("a reload with tenants", () => {
  it("adds delta, gives bravo a new subscription in its session, removes charlie, and leaves alpha alone", async () => {
    const [alpha, bravo, charlie, delta] = sim.tenants as [string, string, string, string];
    const before = {
      alphaLogins: logins(alpha), alphaSubs: subscriptions(alpha), bravoLogins: logins(bravo), bravoSubs: subscriptions(bravo), charlieDeletions: deletions(charlie),
    };
    await writeFile(join(dir, "tenants", "bravo.yaml"), tenantFile(1, (t) => {
      const subscription = t.subscription as { apps: { stats_totals: string[] }[] };
      subscription.apps[0]!.stats_totals = ["in_calls_waiting"];
    }));
    await rm(join(dir, "tenants", "charlie.yaml"));
    await writeFile(join(dir, "tenants", "delta.yaml"), tenantFile(3));
    expect(await exporter.reload()).toEqual({ ok: true, message: "config reloaded" });

    await eventually(async () => (await upTenants()).get("delta") === 1, 10_000, "delta up");
    await eventually(() => subscriptions(bravo) === before.bravoSubs + 1, 10_000, "bravo resubscribed");
    const up = await upTenants();
    expect([...up.keys()].sort()).toEqual(["alpha", "bravo", "delta"]);
    expect(logins(alpha)).toBe(before.alphaLogins);
    expect(subscriptions(alpha)).toBe(before.alphaSubs);
    expect(logins(bravo)).toBe(before.bravoLogins);
    expect(deletions(charlie)).toBe(before.charlieDeletions + 1);
    expect(logins(delta)).toBe(1);
    expect(subscriptions(delta)).toBe(1);
  });

  it("keeps the running tenants when the new config is broken", async () => {
    await writeFile(join(dir, "tenants", "echo.yaml"), "upstream: [");
    const outcome = await exporter.reload();
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toContain("tenants/echo.yaml: YAML syntax error");
    expect([...(await upTenants()).keys()].sort()).toEqual(["alpha", "bravo", "delta"]);
  });
});
