// Rehearses the Dockerfile's steps without a Docker engine: copies the build context minus
// .dockerignore into a temp dir, builds there with dev dependencies, installs production
// dependencies alone into a clean dir, copies dist in, then runs the CLI the way the image does.
// A runtime import that only a dev dependency satisfies, or a file the image lacks, fails here.
//
//   npx tsx scripts/rehearse-image.ts [--keep]
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The npm commands of the Dockerfile's stages, checked against the Dockerfile by a test. */
export const BUILD_INSTALL = ["ci", "--no-audit", "--no-fund", "--ignore-scripts"];
export const BUILD = ["run", "build"];
export const PRODUCTION_INSTALL = ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"];
/** What the runtime stage copies from the context, besides dist/ and node_modules/. */
export const RUNTIME_FILES = ["package.json", "config.example.yaml"];
export const CONFIG_PATH_IN_IMAGE = "/etc/brightpattern-exporter/config.yaml";

interface IgnoreRule {
  regex: RegExp;
  exception: boolean;
  pattern: string;
}

function patternRegex(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "*" && pattern[i + 1] === "*") {
      // "**/" matches any number of directories, including none; "**" elsewhere anything.
      if (pattern[i + 2] === "/") {
        source += "(?:.*/)?";
        i += 2;
      } else {
        source += ".*";
        i += 1;
      }
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** Docker's .dockerignore rules: the last matching line wins, `!` re-includes, a match on a parent directory counts. */
export function parseDockerignore(text: string): IgnoreRule[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const exception = line.startsWith("!");
      const pattern = (exception ? line.slice(1) : line).trim().replace(/^\/+/, "").replace(/\/+$/, "");
      return { regex: patternRegex(pattern), exception, pattern };
    });
}

/** True when `path` (relative, "/"-separated) is left out of the build context. */
export function isIgnored(rules: IgnoreRule[], path: string): boolean {
  const parts = path.split("/");
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.regex.test(candidate))) ignored = !rule.exception;
  }
  return ignored;
}

/** A directory is skipped whole when it is ignored and no exception could re-include something inside it. */
function canSkipDirectory(rules: IgnoreRule[], dir: string): boolean {
  return isIgnored(rules, dir) && !rules.some((rule) => rule.exception && (rule.pattern.startsWith(`${dir}/`) || rule.pattern.startsWith("**")));
}

/** The files Docker would send as the build context, relative to `root`, sorted. */
export async function contextFiles(root: string): Promise<string[]> {
  let rules: IgnoreRule[] = [];
  try {
    rules = parseDockerignore(await readFile(join(root, ".dockerignore"), "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
      const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!canSkipDirectory(rules, path)) await walk(path);
      } else if (!isIgnored(rules, path)) files.push(path);
    }
  };
  await walk("");
  return files.sort();
}

async function copyFiles(from: string, to: string, files: string[]): Promise<void> {
  for (const file of files) {
    await mkdir(dirname(join(to, file)), { recursive: true });
    await cp(join(from, file), join(to, file));
  }
}

async function npm(cwd: string, args: string[]): Promise<void> {
  // --prefer-offline: the local cache makes a rehearsal take seconds, not minutes.
  const command = ["npm", ...args, "--prefer-offline"];
  try {
    await run("npm", command.slice(1), { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: "false" } });
  } catch (error) {
    // npm's own reason, without its usage text and warnings.
    const stderr = String((error as { stderr?: unknown }).stderr ?? "");
    const reason = stderr.split("\n").filter((line) => /^npm error (?!\s*$)(?!Usage|Options|aliases|\s{2}|\[|Run "npm help)/.test(line)).slice(0, 6);
    throw new Error(`${command.join(" ")} failed in ${cwd}:\n${reason.join("\n") || stderr.slice(-2000)}`, { cause: error });
  }
}

export interface Rehearsal {
  /** The runtime stage's /app. */
  appDir: string;
  contextFiles: string[];
  cleanup(): Promise<void>;
}

/** Builds the image's /app in a temp dir; the caller runs things in it and cleans up. */
export async function rehearseImage(root: string): Promise<Rehearsal> {
  const work = await mkdtemp(join(tmpdir(), "bp-image-"));
  const context = join(work, "context");
  const appDir = join(work, "app");
  let files: string[];
  try {
    files = await contextFiles(root);
    await copyFiles(root, context, files);
    // Stage "build".
    await npm(context, BUILD_INSTALL);
    await npm(context, BUILD);
    // Stage "production-deps": a clean dir with only the package files.
    await copyFiles(context, appDir, ["package.json", "package-lock.json"]);
    await npm(appDir, PRODUCTION_INSTALL);
    await rm(join(appDir, "package-lock.json"));
    // Stage "runtime".
    await cp(join(context, "dist"), join(appDir, "dist"), { recursive: true });
    await copyFiles(context, appDir, RUNTIME_FILES);
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
  return { appDir, contextFiles: files, cleanup: () => rm(work, { recursive: true, force: true }) };
}

async function main(): Promise<void> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const started = Date.now();
  const keep = process.argv.includes("--keep");
  const rehearsal = await rehearseImage(root);
  try {
    const cli = join(rehearsal.appDir, "dist", "cli.js");
    const version = await run(process.execPath, [cli, "--version"], { cwd: rehearsal.appDir });
    process.stdout.write(version.stdout);
    // The example config takes its secret from the environment; a placeholder suffices to validate it.
    const env = { ...process.env, BP_CLIENT_SECRET: "placeholder" };
    const check = await run(process.execPath, [cli, "check-config", join(rehearsal.appDir, "config.example.yaml")], { cwd: rehearsal.appDir, env });
    process.stdout.write(check.stdout);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`image rehearsal ok in ${seconds}s (${rehearsal.contextFiles.length} context files)\n`);
    if (keep) process.stdout.write(`kept: ${rehearsal.appDir}\n`);
  } finally {
    if (!keep) await rehearsal.cleanup();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`image rehearsal failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
