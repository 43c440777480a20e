// The real CLI in a child process that receives signals itself: `node --import tsx`, not the tsx CLI,
// which runs the program in a grandchild and does not relay SIGHUP (the default action would kill it).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { ROOT } from "../cli/helpers.js";

const CLI = fileURLToPath(new URL("../../../src/cli.ts", import.meta.url));

export type CliProcess = ChildProcess & { output(): { stdout: string; stderr: string } };

export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return Object.assign(child, { output: () => ({ stdout, stderr }) });
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

/** Runs the CLI to its end. */
export async function runCliToEnd(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(args, env);
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, ...child.output() };
}
