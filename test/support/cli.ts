// Runs the real CLI in a child process, from the sources. `node --import tsx`, not the tsx CLI: the tsx CLI
// runs the program in a grandchild and does not relay SIGHUP (whose default action would kill it).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = fileURLToPath(new URL("../../src/cli.ts", import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type CliProcess = ChildProcess & { output(): { stdout: string; stderr: string } };

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return Object.assign(child, { output: () => ({ stdout, stderr }) });
}

/** Runs the CLI to its end. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const child = startCli(args, env);
  child.stdin?.end();
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, ...child.output() };
}

/** Kills a child that is still running and waits for it to be gone. */
export async function killCli(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  await exited;
}

/** The exporter's URL from its "exporter started" log line (JSON or pretty). */
export function listeningUrl(stderr: string): string | undefined {
  return /"?url"?[:=]\s*"?(http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
}

/** Writes `text` to a fresh temp dir and returns the file's path. */
export async function tempConfig(text: string, name = "config.yaml"): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "bp-cli-")), name);
  await writeFile(path, text);
  return path;
}
