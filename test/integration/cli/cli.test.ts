import { readFile } from "node:fs/promises";
import { type AddressInfo, type Server, createServer } from "node:net";
import { join } from "node:path";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../../src/simulator/index.js";
import { ROOT, runCli, startCli, tempConfig } from "../../support/cli.js";
import { eventually } from "../../support/eventually.js";
import { tenantsConfigText } from "../../support/tenants.js";

const secretEnv = { BP_CLIENT_SECRET: "demo-secret" };

describe("CLI", () => {
  it("--version prints the package version", async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string };
    const run = await runCli(["--version"]);
    expect(run).toMatchObject({ code: 0, stdout: `brightpattern-exporter ${pkg.version}\n` });
  });

  it("check-config accepts the example config", async () => {
    const run = await runCli(["check-config", "config.example.yaml"], secretEnv);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("config.example.yaml: valid");
  });

  it("check-config accepts the example config as cloned, with BP_CLIENT_SECRET unset (the simulator's demo secret is its default)", async () => {
    const run = await runCli(["check-config", "config.example.yaml"], { BP_CLIENT_SECRET: undefined });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("config.example.yaml: valid");
  });

  it("check-config lists every mistake with its path and exits 2", async () => {
    const example = await readFile(join(ROOT, "config.example.yaml"), "utf8");
    const broken = example
      .replace("interval: 3s", "interval: soon")
      .replace("order_by: waiting", "order_by: nowhere")
      .replace("namespace: brightpattern", "namespace: brightpattern\n  colour: blue");
    const run = await runCli(["check-config", "--config", await tempConfig(broken)], secretEnv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("3 problems");
    expect(run.stderr).toMatch(/poll\.interval: .*duration/);
    expect(run.stderr).toMatch(/subscription\.apps\[0\]\.service_grids\[0\]\.order_by: .*nowhere/);
    expect(run.stderr).toMatch(/metrics\.colour: .*unknown/i);
  });

  it("check-config shows the warnings with the errors, with the closest statistic name", async () => {
    const example = await readFile(join(ROOT, "config.example.yaml"), "utf8");
    const broken = example.replace("interval: 3s", "interval: soon").replace("- in_max_wait_time", "- in_max_wait_tim");
    const run = await runCli(["check-config", await tempConfig(broken)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("1 problem");
    expect(run.stderr).toMatch(/poll\.interval: .*duration/);
    expect(run.stderr).toMatch(/warning: subscription\.apps\[0\]\.stats_totals\[1\]: unknown statistic "in_max_wait_tim" \(did you mean in_max_wait_time\?\)/);
  });

  it("check-config suggests the closest statistic name in a valid config's warnings", async () => {
    const example = await readFile(join(ROOT, "config.example.yaml"), "utf8");
    const run = await runCli(["check-config", await tempConfig(example.replace("stat_name: agents_busy", "stat_name: agents_bussy"))]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: .*columns\[5\]: unknown statistic "agents_bussy" \(did you mean agents_busy\?\)/);
    expect(run.stdout).toContain("1 warning");
  });

  it("check-config suggests the closest statistic name in every tenant's subscription, naming the tenant", async () => {
    const tenant = (name: string) => ({ name, url: "https://bp.example.com", tenantUrl: `${name}.example.com` });
    // Only the first tenant's first agents_busy gets the typo.
    const config = tenantsConfigText([tenant("acme"), tenant("globex")], { interval: "5s" }).replace('"agents_busy"', '"agents_bussy"');
    const valid = await runCli(["check-config", await tempConfig(config)]);
    expect(valid.code).toBe(0);
    expect(valid.stderr).toMatch(/warning: tenants\[0\]\.subscription\.apps\[0\]\.\S*columns\[5\]: unknown statistic "agents_bussy" \(did you mean agents_busy\?\)/);
    const broken = await runCli(["check-config", await tempConfig(config.replace('"interval": "5s"', '"interval": "soon"'))]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/poll\.interval: .*duration/);
    expect(broken.stderr).toMatch(/warning: tenants\[0\]\.subscription\.apps\[0\]\.\S*columns\[5\]: unknown statistic "agents_bussy" \(did you mean agents_busy\?\)/);
  });

  it("a missing config file is a clear error with exit 2", async () => {
    const run = await runCli(["check-config", "/nonexistent/bp.yaml"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("/nonexistent/bp.yaml");
  });

  it.each([
    [["frobnicate"], /unknown command "frobnicate"/],
    [["--no-such-flag"], /^brightpattern-exporter: unknown option "--no-such-flag"\n/],
    [["demo", "--port"], /^brightpattern-exporter: option "--port" needs a value\n/],
    [["--help=yes"], /^brightpattern-exporter: option "--help" takes no value\n/],
    [["--log-level", "loud", "check-config", "x.yaml"], /--log-level/],
    [["demo", "--port", "http"], /--port: expected a whole number/],
    [["simulate", "--port", "70000"], /--port: expected a whole number from 0 to 65535/],
    [["simulate", "--session-login", "maybe"], /--session-login: expected allowed or forbidden/],
  ])("bad usage %j exits 2 with the usage", async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain("Usage: brightpattern-exporter");
  });
});

describe("an address in use", () => {
  let blocker: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => blocker?.close(resolve) ?? resolve(undefined));
    blocker = undefined;
  });

  async function takePort(): Promise<number> {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(0, "127.0.0.1", resolve));
    return (blocker.address() as AddressInfo).port;
  }

  it.each([
    ["demo", (port: number) => ["demo", "--port", String(port), "--simulator-port", "0"], /--port N \(the exporter, default 9737\) and --simulator-port N/],
    ["run", (port: number) => ["--config", "config.example.yaml", "--listen", `127.0.0.1:${port}`], /--listen ADDRESS/],
    ["simulate", (port: number) => ["simulate", "--port", String(port)], /--port N/],
  ])("%s: names the address and the flag that moves it, exit 1", async (_command, args, hint) => {
    const port = await takePort();
    const run = await runCli(args(port));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`brightpattern-exporter: 127.0.0.1:${port} is already in use`);
    expect(run.stderr).toMatch(hint);
    expect(run.stderr).not.toContain("EADDRINUSE");
  });
});

describe("run", () => {
  let simulator: Simulator | undefined;
  afterEach(async () => {
    await simulator?.close();
    simulator = undefined;
  });

  it("serves metrics, and on SIGTERM deletes the subscription and exits 0", async () => {
    simulator = await startSimulator({ tickMs: 0 });
    const example = await readFile(join(ROOT, "config.example.yaml"), "utf8");
    const config = await tempConfig(
      example.replace("url: http://127.0.0.1:8088", `url: ${simulator.url}`).replace("interval: 3s", "interval: 200ms"),
    );
    const child = startCli(["--config", config, "--listen", "127.0.0.1:0"], secretEnv);
    const url = await eventually(() => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(child.output().stderr)?.[1], 15_000, "the listening line");
    const body = await eventually(async () => {
      const text = await (await request(`${url}/metrics`)).body.text();
      return text.includes('brightpattern_agent_state{') ? text : undefined;
    }, 15_000, "agent rows");
    expect(body).toContain("brightpattern_up 1");
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(simulator.requests.filter((r) => r.method === "DELETE" && r.path === "/statsapi/subscription/active").length).toBeGreaterThanOrEqual(2);
    expect(simulator.activeSubscriptions()).toBe(0);
    expect(child.output().stderr).not.toContain("demo-secret");
  });
});
