// SIGHUP on the real CLI process: re-reads the config file; a bad one is logged and the old config keeps
// running; a SIGHUP while stopping neither kills the process nor restarts polling.
import { once } from "node:events";
import { readFile, writeFile } from "node:fs/promises";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../../src/simulator/index.js";
import { type CliProcess, killCli, listeningUrl, startCli, tempConfig } from "../../support/cli.js";
import { eventually } from "../../support/eventually.js";
import { exampleYaml, replaceAll } from "./config-text.js";

const ENV = { BP_CLIENT_SECRET: "demo-secret" };

let simulator: Simulator | undefined;
let child: CliProcess | undefined;
afterEach(async () => {
  await killCli(child);
  child = undefined;
  await simulator?.close();
  simulator = undefined;
});

async function startCliAgainstSimulator(): Promise<{ cli: CliProcess; configPath: string; metrics: () => Promise<string> }> {
  simulator = await startSimulator({ tickMs: 0 });
  const configPath = await tempConfig(await exampleYaml(simulator.url));
  const cli = startCli(["--config", configPath], ENV);
  child = cli;
  const url = await eventually(() => listeningUrl(cli.output().stderr), 15_000, "the listening line");
  const metrics = async () => (await request(`${url}/metrics`)).body.text();
  await eventually(async () => ((await metrics()).includes("brightpattern_agent_state{") ? true : undefined), 15_000, "agent rows");
  return { cli, configPath, metrics };
}

describe("SIGHUP", () => {
  it("reloads the config file: a bad one is refused and logged, a good one takes effect", async () => {
    const { cli, configPath, metrics } = await startCliAgainstSimulator();
    const good = await readFile(configPath, "utf8");

    await writeFile(configPath, good.replace("interval: 100ms", "interval: soon"));
    cli.kill("SIGHUP");
    await eventually(() => (cli.output().stderr.includes("config reload failed") ? true : undefined), 10_000, "the failure line");
    expect(cli.output().stderr).toContain("poll.interval");
    const refused = await metrics();
    expect(refused).toContain("brightpattern_config_last_reload_successful 0");
    expect(refused).toContain("brightpattern_up 1");

    await writeFile(
      configPath,
      replaceAll(good, [["- { id: busy, stat_name: agents_busy }", "- { id: busy, stat_name: agents_busy }\n            - { id: ready, stat_name: agents_ready }"]]),
    );
    cli.kill("SIGHUP");
    const served = await eventually(async () => {
      const text = await metrics();
      return text.includes("brightpattern_service_agents_ready{") ? text : undefined;
    }, 10_000, "the new column's family");
    expect(served).toContain("brightpattern_config_last_reload_successful 1");
    expect(cli.exitCode).toBeNull();

    const exited = once(cli, "exit");
    cli.kill("SIGTERM");
    expect((await exited)[0]).toBe(0);
    expect(simulator?.activeSubscriptions()).toBe(0);
  }, 60_000);

  it("while stopping is ignored: the clean-up finishes and the process exits 0", async () => {
    const { cli, configPath } = await startCliAgainstSimulator();
    // An upstream change would restart polling if the reload ran; the slow upstream keeps the stop busy.
    // stale_after 1s: a poll that ends during the stop re-arms the stale timer, which holds the process that long
    // (see the poll-ends-during-stop test below).
    await writeFile(configPath, replaceAll(await readFile(configPath, "utf8"), [["timeout: 2s", "timeout: 3s"], ["stale_after: 30s", "stale_after: 1s"]]));
    simulator?.faults.setDelay(400);
    const exited = once(cli, "exit");
    cli.kill("SIGTERM");
    await eventually(() => (cli.output().stderr.includes("stopping") ? true : undefined), 5_000, "the stopping line");
    cli.kill("SIGHUP");
    let timer: NodeJS.Timeout | undefined;
    const tooLong = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no exit within 15 s; the log ends:\n${cli.output().stderr.slice(-3000)}`)), 15_000);
    });
    const [code, signal] = (await Promise.race([exited, tooLong]).finally(() => clearTimeout(timer))) as [number | null, NodeJS.Signals | null];
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(simulator?.activeSubscriptions()).toBe(0);
    expect(cli.output().stderr).not.toContain("config reloaded");
  }, 60_000);
});

describe("SIGTERM during a slow poll", () => {
  // A poll that ends during the stop must not re-arm the stale timer (poll.stale_after, 30 s here):
  // it held the process open that long after "exporter stopped".
  it("exits promptly after the clean-up", async () => {
    simulator = await startSimulator({ tickMs: 0 });
    const configPath = await tempConfig(await exampleYaml(simulator.url));
    const cli = startCli(["--config", configPath], ENV);
    child = cli;
    await eventually(() => (cli.output().stderr.includes('"subscribed"') ? true : undefined), 15_000, "the subscription");
    await eventually(() => (simulator?.requests.some((r) => r.path === "/statsapi/subscription/data" && r.status === 200) ? true : undefined), 15_000, "data");
    // Every poll now takes 1.5 s of the 2 s timeout: a SIGTERM always finds one in flight.
    simulator.faults.setDelay(1_500);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = once(cli, "exit");
    cli.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const tooLong = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no exit within 8 s; the log ends:\n${cli.output().stderr.slice(-1500)}`)), 8_000);
    });
    const [code] = (await Promise.race([exited, tooLong]).finally(() => clearTimeout(timer))) as [number | null];
    expect(code).toBe(0);
  }, 60_000);
});
