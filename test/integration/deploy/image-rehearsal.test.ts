// Replays the image build outside Docker (scripts/rehearse-image.ts) and runs the result the way the
// container does: only production dependencies, the CLI as entrypoint. ~30 s (two npm installs).
import { execFile, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Rehearsal, rehearseImage } from "../../../scripts/rehearse-image.js";
import { freePort } from "../../support/free-port.js";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../../..");
const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

let rehearsal: Rehearsal;
let cli: string;

beforeAll(async () => {
  rehearsal = await rehearseImage(ROOT);
  cli = join(rehearsal.appDir, "dist", "cli.js");
}, 300_000);

afterAll(async () => {
  await rehearsal?.cleanup();
});

/** Runs the image's entrypoint with these arguments; resolves with the exit code and output. */
async function entrypoint(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: rehearsal.appDir, env: { PATH: process.env.PATH, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}


describe("image rehearsal", () => {
  it("the runtime has exactly the production dependencies and the files the image copies", () => {
    for (const name of Object.keys(PACKAGE.dependencies)) expect(existsSync(join(rehearsal.appDir, "node_modules", name)), name).toBe(true);
    for (const name of Object.keys(PACKAGE.devDependencies)) expect(existsSync(join(rehearsal.appDir, "node_modules", name)), name).toBe(false);
    expect(existsSync(join(rehearsal.appDir, "config.example.yaml"))).toBe(true);
    expect(existsSync(join(rehearsal.appDir, "src"))).toBe(false);
    expect(rehearsal.contextFiles.some((f) => f.startsWith("test/") || f.startsWith("node_modules/"))).toBe(false);
  });

  it("--version prints the package version", async () => {
    const result = await entrypoint(["--version"]);
    expect(result).toMatchObject({ code: 0, stdout: `brightpattern-exporter ${PACKAGE.version}\n` });
  });

  it("check-config accepts the example config (0) and rejects a broken one (2)", async () => {
    const good = await entrypoint(["check-config", "config.example.yaml"], { BP_CLIENT_SECRET: "placeholder" });
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain("valid");
    const brokenPath = join(rehearsal.appDir, "broken.yaml");
    writeFileSync(brokenPath, readFileSync(join(rehearsal.appDir, "config.example.yaml"), "utf8").replace("interval: 3s", "interval: soon"));
    const bad = await entrypoint(["check-config", "--config", brokenPath], { BP_CLIENT_SECRET: "placeholder" });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("poll.interval");
  });

  it("serves /healthz, answers /readyz 503 without upstream data, and exits 0 on SIGTERM", async () => {
    const port = await freePort();
    // Upstream on a closed loopback port: the exporter runs, gets no data, stays unready.
    const config = readFileSync(join(rehearsal.appDir, "config.example.yaml"), "utf8").replace(/url: http:\/\/127\.0\.0\.1:\d+/, "url: http://127.0.0.1:9");
    writeFileSync(join(rehearsal.appDir, "run.yaml"), config);
    const child = spawn(process.execPath, [cli, "--config", "run.yaml", "--listen", `127.0.0.1:${port}`, "--log-level", "silent"], {
      cwd: rehearsal.appDir,
      env: { PATH: process.env.PATH, BP_CLIENT_SECRET: "placeholder" },
      stdio: "ignore",
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      let health: Response | undefined;
      for (let attempt = 0; attempt < 100 && health === undefined; attempt++) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        if (health === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(health?.status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(503);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 30_000);
});
