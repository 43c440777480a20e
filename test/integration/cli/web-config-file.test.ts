// The web config as a user sets it up: web.config_file in the exporter's config, the real CLI process.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { Agent, request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../../src/simulator/index.js";
import { ROOT, runCli, startCli, tempConfig } from "../../support/cli.js";
import { eventually } from "../../support/eventually.js";

const ca = await readFile(join(ROOT, "test/fixtures/web/ca.pem"), "utf8");
const trustingAgent = new Agent({ connect: { ca } });
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

let simulator: Simulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

describe("web protection through web.config_file", () => {
  it("serves /metrics over TLS with basic auth while the probes stay open", async () => {
    simulator = await startSimulator({ tickMs: 0 });
    const example = await readFile(join(ROOT, "config.example.yaml"), "utf8");
    const config = await tempConfig(
      example
        .replace("url: http://127.0.0.1:8088", `url: ${simulator.url}`)
        .replace("interval: 3s", "interval: 200ms")
        .replace("# config_file: web.yml", `config_file: ${join(ROOT, "test/fixtures/web/tls-basic-auth.yml")}`),
    );
    const child = startCli(["--config", config, "--listen", "127.0.0.1:0"], { BP_CLIENT_SECRET: "demo-secret" });
    try {
      const url = await eventually(() => /"url":"(https:\/\/127\.0\.0\.1:\d+)"/.exec(child.output().stderr)?.[1], 15_000, "the listening line");
      const get = (path: string, authorization?: string) =>
        request(`${url}${path}`, { dispatcher: trustingAgent, headers: authorization ? { authorization } : {} });

      const anonymous = await get("/metrics");
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers["www-authenticate"]).toBe('Basic realm="brightpattern-exporter"');
      await anonymous.body.dump();
      const wrong = await get("/metrics", basic("alice", "bob-secret"));
      expect(wrong.statusCode).toBe(401);
      await wrong.body.dump();
      const health = await get("/healthz");
      expect(health.statusCode).toBe(200);
      await health.body.dump();

      const body = await eventually(async () => {
        const answer = await get("/metrics", basic("alice", "alice-password"));
        const text = await answer.body.text();
        return answer.statusCode === 200 && text.includes("brightpattern_in_calls_waiting{") ? { text, headers: answer.headers } : undefined;
      }, 15_000, "data over TLS");
      expect(body.headers["strict-transport-security"]).toBe("max-age=31536000");
      expect(body.text).toContain("brightpattern_up 1");
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("check-config reports a broken web config with its path", async () => {
    const example = await readFile(join(ROOT, "config.example.yaml"), "utf8");
    const webConfig = await tempConfig("tls_server_config:\n  cert_file: missing.pem\n  key_file: missing.key\n  min_version: TLS11\n");
    const config = await tempConfig(example.replace("# config_file: web.yml", `config_file: ${webConfig}`));
    const run = await runCli(["check-config", config], { BP_CLIENT_SECRET: "x" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/tls_server_config\.cert_file/);
    expect(run.stderr).toMatch(/tls_server_config\.min_version/);
  });
});

describe("hash-password", () => {
  it("prints a bcrypt hash of the password read from stdin", async () => {
    const child = startCli(["hash-password", "--cost", "4"]);
    child.stdin?.end("correct horse\n");
    const code = await new Promise((resolve) => child.once("exit", resolve));
    const hash = child.output().stdout.trim();
    expect(code).toBe(0);
    expect(hash).toMatch(/^\$2[aby]\$04\$/);
    expect(await bcrypt.compare("correct horse", hash)).toBe(true);
    expect(await bcrypt.compare("wrong horse", hash)).toBe(false);
  });
});
