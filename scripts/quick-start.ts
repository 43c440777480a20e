// The README's quick start, followed word for word: the commands of its first ```sh block, in order, each
// run by bash in the checkout and expected to exit 0. `npm run demo` runs until it serves data: the page
// its comment names must answer, /metrics must show `brightpattern_up 1`; then Ctrl+C (SIGINT to its process
// group, as a terminal sends it) must stop the exporter cleanly.
//
//   npx tsx scripts/quick-start.ts --clone   # CI: a clean `git clone` of HEAD, every command (npm ci, npm test too)
//   npx tsx scripts/quick-start.ts           # this checkout, without npm ci and npm test (what the test runs)
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

export interface QuickStartCommand {
  /** The command as the README writes it (without its comment). */
  command: string;
  /** The comment after `#`, "" without one. */
  comment: string;
}

const ROOT = fileURLToPath(new URL("../", import.meta.url));
/** Commands that the in-checkout run leaves out: the install (already done) and the test suite (it runs this). */
export const CHECKOUT_SKIPS = ["npm ci", "npm test"];

/** The commands of the first ```sh block after "## Quick start". */
export function quickStartCommands(readme: string): QuickStartCommand[] {
  const section = readme.split(/^## Quick start$/m)[1]?.split(/^## /m)[0] ?? "";
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('README.md: no ```sh block under "## Quick start"');
  return block
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const at = line.indexOf(" #");
      return at === -1 ? { command: line.trim(), comment: "" } : { command: line.slice(0, at).trim(), comment: line.slice(at + 2).trim() };
    });
}

function run(command: string, cwd: string, log: (line: string) => void): ChildProcess {
  log(`$ ${command}`);
  // detached: its own process group, so that SIGINT reaches npm and everything under it, as Ctrl+C would.
  const child = spawn("bash", ["-c", command], { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => log(chunk.toString().trimEnd()));
  child.stderr?.on("data", (chunk: Buffer) => log(chunk.toString().trimEnd()));
  return child;
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, "exit")) as [number | null];
  return code;
}

async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`quick start: ${what} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The demo: up, serving the page its comment names and data; then Ctrl+C. */
async function runDemo(step: QuickStartCommand, cwd: string, log: (line: string) => void): Promise<void> {
  const page = /https?:\/\/\S+/.exec(step.comment)?.[0];
  if (page === undefined) throw new Error(`quick start: "${step.command}": its comment names no URL to open`);
  let seen = "";
  const child = run(step.command, cwd, (line) => {
    seen += `${line}\n`;
    log(line);
  });
  const output = () => seen;
  try {
    const status = await poll(`${page} answering`, 60_000, async () => {
      if (child.exitCode !== null) throw new Error(`quick start: "${step.command}" exited ${child.exitCode} early`);
      return (await fetch(page)).status;
    });
    if (status !== 200) throw new Error(`quick start: ${page} answered ${status}`);
    await poll("/metrics showing brightpattern_up 1", 30_000, async () =>
      /^brightpattern_up 1$/m.test(await (await fetch(new URL("/metrics", page))).text()) ? true : undefined,
    );
    log(`(${page} and /metrics answer; Ctrl+C)`);
  } finally {
    if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, "SIGINT");
  }
  const code = await exitCode(child);
  // npm itself dies of the SIGINT, as in a terminal; the exporter under it must have stopped cleanly.
  if (code !== 0 && child.signalCode !== "SIGINT") throw new Error(`quick start: "${step.command}" exited ${code} after Ctrl+C`);
  if (!output().includes('"msg":"exporter stopped"')) throw new Error(`quick start: "${step.command}" did not log "exporter stopped" after Ctrl+C`);
}

export async function followQuickStart(options: { cwd: string; skip?: readonly string[]; log?: (line: string) => void }): Promise<string[]> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const steps = quickStartCommands(await readFile(join(options.cwd, "README.md"), "utf8"));
  const ran: string[] = [];
  for (const step of steps) {
    if (options.skip?.includes(step.command)) continue;
    if (step.command.startsWith("npm run demo")) {
      await runDemo(step, options.cwd, log);
    } else {
      const code = await exitCode(run(step.command, options.cwd, log));
      if (code !== 0) throw new Error(`quick start: "${step.command}" exited ${code}`);
    }
    ran.push(step.command);
  }
  return ran;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { clone: { type: "boolean" } } });
  if (!values.clone) {
    await followQuickStart({ cwd: ROOT, skip: CHECKOUT_SKIPS });
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), "bp-quick-start-"));
  try {
    // HEAD of this checkout (a worktree's branch too), committed files only: what a user clones.
    const clone = run(`git clone --quiet --no-hardlinks --no-checkout "${ROOT}" repo && git -C repo checkout --quiet "$(git -C "${ROOT}" rev-parse HEAD)"`, dir, console.log);
    if ((await exitCode(clone)) !== 0) throw new Error("quick start: git clone failed");
    await followQuickStart({ cwd: join(dir, "repo") });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().then(
    () => console.log("quick start: every command passed"),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
