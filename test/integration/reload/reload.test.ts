// Config reload, in-process: POST /-/reload re-reads the file; a bad file is refused and the running config
// keeps polling; subscription changes swap the upstream subscription; upstream changes restart the pipeline.
import { writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { Writable } from "node:stream";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { loadCheckedConfig } from "../../../src/exporter/checked-config.js";
import { type Exporter, startExporter } from "../../../src/exporter/exporter.js";
import { createLogger } from "../../../src/logger.js";
import { type Simulator, startSimulator } from "../../../src/simulator/index.js";
import { tempConfig } from "../../support/cli.js";
import { eventually } from "../../support/eventually.js";
import { exampleYaml, replaceAll } from "./config-text.js";
import { type RecordingProxy, startRecordingProxy } from "./recording-proxy.js";

const ENV = { BP_CLIENT_SECRET: "demo-secret" };
const SUBSCRIBE = "/statsapi/subscription";
const DELETE_ACTIVE = "/statsapi/subscription/active";
const TOKEN = "/configapi/v2/oauth/token";
const DATA = "/statsapi/subscription/data";

class Lines extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString("utf8");
    done();
  }
}

/** The value of one sample line (`name` includes the label set, if any). */
function sample(text: string, name: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

interface Running {
  sim: Simulator;
  proxy: RecordingProxy;
  exporter: Exporter;
  configPath: string;
  logs: Lines;
  metrics(): Promise<string>;
  reload(): Promise<{ status: number; text: string }>;
  /** Resolves once the exporter has served data polled after now. */
  freshData(): Promise<string>;
}

let running: Running | undefined;
afterEach(async () => {
  await running?.exporter.stop();
  await running?.proxy.close();
  await running?.sim.close();
  running = undefined;
});

async function start(simulator: Parameters<typeof startSimulator>[0] = {}, edit?: (text: string) => string): Promise<Running> {
  const sim = await startSimulator({ tickMs: 0, ...simulator });
  const proxy = await startRecordingProxy(sim.url);
  const configPath = await tempConfig(await exampleYaml(proxy.url, edit));
  const logs = new Lines();
  const logger = createLogger({ level: "debug", format: "json", destination: logs });
  const exporter = await startExporter({ ...(await loadCheckedConfig(configPath, ENV)), configPath, env: ENV, logger });
  const metrics = async () => (await request(`${exporter.url}/metrics`)).body.text();
  const self: Running = {
    sim,
    proxy,
    exporter,
    configPath,
    logs,
    metrics,
    reload: async () => {
      const res = await request(`${exporter.url}/-/reload`, { method: "POST" });
      return { status: res.statusCode, text: await res.body.text() };
    },
    freshData: async () => {
      const since = Date.now() / 1000;
      return eventually(async () => {
        const text = await metrics();
        return (sample(text, "brightpattern_last_success_timestamp_seconds") ?? 0) > since && sample(text, "brightpattern_up") === 1 ? text : undefined;
      }, 10_000, "fresh data");
    },
  };
  running = self;
  await self.freshData();
  return self;
}

const rewrite = async (r: Running, pairs: [string, string][]) =>
  writeFile(r.configPath, replaceAll(await readFile(r.configPath, "utf8"), pairs));

describe("POST /-/reload", () => {
  it("refuses a bad config with a log line, keeps polling with the old one, and takes the fixed one", async () => {
    const r = await start();
    const good = await readFile(r.configPath, "utf8");
    await writeFile(r.configPath, good.replace("interval: 100ms", "interval: soon").replace("order_dir: DESC", "order_dir: SIDEWAYS"));
    const refused = await r.reload();
    expect(refused.status).toBe(500);
    // Both mistakes named with their paths, in the answer and in the log.
    expect(refused.text).toMatch(/poll\.interval/);
    expect(refused.text).toMatch(/order_dir/);
    expect(r.logs.text).toContain("config reload failed");
    expect(r.logs.text).toContain("poll.interval");
    const stillPolling = await r.freshData();
    expect(sample(stillPolling, "brightpattern_config_last_reload_successful")).toBe(0);
    expect(stillPolling).toContain("brightpattern_agent_state{");

    await writeFile(r.configPath, good);
    expect(await r.reload()).toEqual({ status: 200, text: "config reloaded\n" });
    const after = await r.metrics();
    expect(sample(after, "brightpattern_config_last_reload_successful")).toBe(1);
    expect(sample(after, "brightpattern_config_last_reload_success_timestamp_seconds")).toBeGreaterThan(Date.now() / 1000 - 5);
  });

  it("coalesces a storm: 50 reloads, each after a changed file, restart the upstream at most twice", async () => {
    const r = await start();
    const mark = r.proxy.requests.length;
    const text = await readFile(r.configPath, "utf8");
    const outcomes: Promise<unknown>[] = [];
    for (let i = 1; i <= 50; i++) {
      // A new upstream timeout each time: every reload that runs logs in and subscribes again.
      writeFileSync(r.configPath, text.replace("timeout: 2s", `timeout: ${2000 + i}ms`));
      outcomes.push(r.exporter.reload());
    }
    const results = (await Promise.all(outcomes)) as { ok: boolean }[];
    expect(results.every((outcome) => outcome.ok)).toBe(true);
    await r.freshData();
    const logins = r.proxy.requests.slice(mark).filter((req) => req.path === TOKEN);
    // One reload in flight and one queued: the queued one reads the last file.
    expect(logins.length).toBeGreaterThanOrEqual(1);
    expect(logins.length).toBeLessThanOrEqual(2);
    expect(r.logs.text.match(/config reloaded/g)?.length ?? 0).toBeLessThanOrEqual(2);
  });

  it("is off unless web.enable_lifecycle is set", async () => {
    const r = await start({}, (text) => text.replace("\n  enable_lifecycle: true", ""));
    const refused = await r.reload();
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("web.enable_lifecycle");
  });

  it("answers a failed reload without file paths (the log has them)", async () => {
    const r = await start();
    const good = await readFile(r.configPath, "utf8");
    await writeFile(r.configPath, good.replace(/client_secret: .*/, "client_secret_file: /nonexistent-dir/bp-secret"));
    const refused = await r.reload();
    expect(refused.status).toBe(500);
    expect(refused.text).toContain("upstream.auth.client_secret_file");
    expect(refused.text).not.toContain("/nonexistent-dir");
    expect(refused.text).not.toContain(r.configPath);
    expect(r.logs.text).toContain("/nonexistent-dir/bp-secret");
  });

  it("a changed subscription deletes the old one and creates the new one; the new family is served", async () => {
    const r = await start();
    const before = await r.metrics();
    expect(before).not.toContain("brightpattern_service_agents_ready{");
    const mark = r.proxy.requests.length;
    await rewrite(r, [
      ["- { id: busy, stat_name: agents_busy }", "- { id: busy, stat_name: agents_busy }\n            - { id: ready, stat_name: agents_ready }"],
      ["order_dir: ASC", "order_dir: ASC\n          limit: 3"],
    ]);
    expect((await r.reload()).status).toBe(200);
    const served = await eventually(async () => {
      const text = await r.metrics();
      return text.includes("brightpattern_service_agents_ready{") ? text : undefined;
    }, 10_000, "the new column's family");

    const sent = r.proxy.requests.slice(mark).filter((req) => req.path === DELETE_ACTIVE || req.path === SUBSCRIBE);
    expect(sent.map((req) => `${req.method} ${req.path}`).slice(0, 2)).toEqual([`DELETE ${DELETE_ACTIVE}`, `POST ${SUBSCRIBE}`]);
    const body = JSON.parse(sent[1]?.body ?? "{}") as { wallboard: { service_grids: { columns: { stat_name: string }[] }[]; agent_grids: { limit: string }[] } };
    expect(body.wallboard.service_grids[0]?.columns.map((column) => column.stat_name)).toContain("agents_ready");
    expect(body.wallboard.agent_grids[0]?.limit).toBe("3");
    // The new agent limit shows in the served rows: 3 agents, one StateSet each.
    const fresh = await r.freshData();
    const agents = new Set(fresh.split("\n").filter((line) => line.startsWith("brightpattern_agent_state{")).map((line) => /agent="([^"]*)"/.exec(line)?.[1]));
    expect(agents.size).toBe(3);
    expect(served).toContain("brightpattern_config_last_reload_successful 1");
    // No login again for a subscription change.
    expect(r.proxy.requests.slice(mark).filter((req) => req.path === TOKEN)).toEqual([]);
    // Data of the old subscription rendered with the new plan is not counted as broken values.
    expect(sample(fresh, "brightpattern_invalid_values_total")).toBe(0);
    expect(sample(fresh, 'brightpattern_errors_total{reason="internal"}')).toBe(0);
  });

  it("a changed upstream (timeout, credentials) restarts the pipeline: a new login with the new settings", async () => {
    const r = await start();
    const mark = r.proxy.requests.length;
    await rewrite(r, [["timeout: 2s", "timeout: 3s"]]);
    expect((await r.reload()).status).toBe(200);
    await r.freshData();
    const after = r.proxy.requests.slice(mark).map((req) => `${req.method} ${req.path}`);
    // The old pipeline deletes its subscription on stop; the new one logs in and subscribes.
    expect(after).toContain(`POST ${TOKEN}`);
    expect(after.indexOf(`DELETE ${DELETE_ACTIVE}`)).toBeLessThan(after.indexOf(`POST ${TOKEN}`));
    expect(after).toContain(`POST ${SUBSCRIBE}`);
    expect(r.sim.activeSubscriptions()).toBe(1);

    // Wrong credentials: the reload itself succeeds (the file is valid), the new login is refused.
    await writeFile(r.configPath, (await readFile(r.configPath, "utf8")).replace('"${BP_CLIENT_SECRET:-demo-secret}"', '"not-the-secret"'));
    expect((await r.reload()).status).toBe(200);
    const refused = await eventually(async () => {
      const text = await r.metrics();
      return (sample(text, 'brightpattern_logins_total{result="failure"}') ?? 0) > 0 ? text : undefined;
    }, 10_000, "a failed login");
    expect(sample(refused, "brightpattern_up")).toBe(0);
    expect(r.logs.text).toContain("login rejected");
  });

  it("a changed web.listen_address is logged as needing a restart, and the old address keeps serving", async () => {
    const r = await start();
    await rewrite(r, [['listen_address: "127.0.0.1:0"', 'listen_address: "127.0.0.1:9"']]);
    expect((await r.reload()).status).toBe(200);
    expect(r.logs.text).toMatch(/web\.\*.*next restart/);
    expect((await request(`${r.exporter.url}/healthz`)).statusCode).toBe(200);
  });

  it("a changed metrics.namespace waits for a restart, as the log line says: every family keeps its name", async () => {
    const r = await start();
    await rewrite(r, [["namespace: brightpattern", "namespace: contactcenter"]]);
    expect((await r.reload()).status).toBe(200);
    expect(r.logs.text).toMatch(/metrics\.namespace.*next restart/);
    const fresh = await r.freshData();
    expect(fresh).toContain("brightpattern_agent_state{");
    expect(fresh).not.toContain("contactcenter_");
  });

  it("a reload during a slow poll does not break the loop: one poll at a time, then the new subscription", async () => {
    const r = await start();
    r.sim.faults.setDelay(700);
    // Wait until a data request is in flight, then reload with a new subscription.
    const inFlight = r.proxy.requests.length;
    await eventually(() => (r.proxy.requests.slice(inFlight).some((req) => req.path.startsWith(DATA)) ? true : undefined), 5_000, "a slow poll");
    await rewrite(r, [["order_dir: ASC", "order_dir: ASC\n          limit: 5"]]);
    const outcome = await r.reload();
    expect(outcome.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    r.sim.faults.setDelay(0);
    const fresh = await r.freshData();
    expect(fresh).toContain("brightpattern_agent_state{");
    // One loop: at a 100 ms interval about 10 polls a second; a second loop left running would double that.
    const windowStart = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const polls = r.proxy.requests.filter((req) => req.path.startsWith(DATA) && req.at >= windowStart).length;
    expect(polls).toBeGreaterThan(3);
    expect(polls).toBeLessThanOrEqual(12);
    const subscribes = r.proxy.requests.filter((req) => req.path === SUBSCRIBE && req.method === "POST");
    expect(subscribes.at(-1)?.body).toContain('"limit":"5"');
    expect(r.sim.activeSubscriptions()).toBe(1);
  });

  it("a reload that arrives while stopping is refused: nothing polls upstream after stop", async () => {
    const r = await start();
    await rewrite(r, [["timeout: 2s", "timeout: 3s"]]);
    const stopping = r.exporter.stop();
    const outcome = await r.exporter.reload();
    await stopping;
    expect(outcome.ok).toBe(false);
    const after = r.sim.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(r.sim.requests.slice(after)).toEqual([]);
    expect(r.sim.activeSubscriptions()).toBe(0);
  });
});
