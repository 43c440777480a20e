// Secrets over plain http:// (issue #12 item 10): check-config and the start-up log warn, loopback excepted.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCheckedConfig } from "../../../src/exporter/checked-config.js";
import { ROOT, runCli, tempConfig } from "../../support/cli.js";

const secretEnv = { BP_CLIENT_SECRET: "demo-secret" };

async function exampleAt(url: string, edit: (text: string) => string = (text) => text): Promise<string> {
  const example = await readFile(join(ROOT, "config.example.yaml"), "utf8");
  if (!example.includes("url: http://127.0.0.1:8088")) throw new Error("config.example.yaml lacks its upstream url");
  return tempConfig(edit(example.replace("url: http://127.0.0.1:8088", `url: ${url}`)));
}

describe("a secret over plain http://", () => {
  it("check-config warns for an OAuth secret sent to a remote http:// upstream", async () => {
    const run = await runCli(["check-config", await exampleAt("http://bp.example.com")], secretEnv);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("1 warning");
    expect(run.stderr).toMatch(/warning: upstream\.url: .*http:\/\/.*client secret.*https:\/\//);
    expect(run.stderr).not.toContain("demo-secret");
  });

  it("the start-up warnings include it for a session password", async () => {
    const path = await exampleAt("http://10.1.2.3:8080", (text) =>
      text.replace(/auth:\n(?:\s{4}.*\n)+/, "auth:\n    method: session\n    username: api\n    password: pw-123\n"),
    );
    const { warnings } = await loadCheckedConfig(path, secretEnv);
    expect(warnings).toContainEqual({ path: "upstream.url", message: expect.stringMatching(/password/) });
  });

  it("says nothing for https:// or a loopback upstream (the secret does not leave the machine)", async () => {
    for (const url of ["https://bp.example.com", "http://127.0.0.1:8088", "http://localhost:8088", "http://[::1]:8088"]) {
      const { warnings } = await loadCheckedConfig(await exampleAt(url), secretEnv);
      expect(warnings.filter((warning) => warning.path === "upstream.url"), url).toEqual([]);
    }
  });
});
