import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { CORE_SCHEMA, load, mergeTag, type Schema, YAMLException } from "js-yaml";
import { checkSubscription } from "./cross-checks.js";
import { expandEnv } from "./env.js";
import { ConfigError } from "./errors.js";
import { describeType, issueMessage, toConfigIssues } from "./zod-issues.js";
import { createConfigSchema } from "./schema.js";
import { fileAccess, osReason } from "./secrets.js";
import type { Config, ConfigIssue } from "./types.js";

export interface ParseOptions {
  /** Source of ${VAR} values. Default: no variables. */
  env?: NodeJS.ProcessEnv;
  /** Directory that relative *_file, ca_file and config_file paths are resolved against. Default: the working directory. */
  baseDir?: string;
  /** Shown in front of every message. */
  fileName?: string;
}

// Merge keys (`<<: *base`) let grids share settings.
const YAML_SCHEMA = CORE_SCHEMA.withTags(mergeTag);
const MAX_VALUES = 100_000;

/** Aliases share nodes, so a tiny file can stand for billions of values: count them before any full walk. */
function exceedsValueLimit(tree: unknown): boolean {
  let count = 0;
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop();
    if (++count > MAX_VALUES) return true;
    if (node !== null && typeof node === "object") for (const child of Object.values(node)) stack.push(child);
  }
  return false;
}

/** True for a file with nothing but blank lines and comments (js-yaml refuses such a document). */
export function isBlankYaml(text: string): boolean {
  return text.split("\n").every((line) => /^\s*(#.*)?$/.test(line));
}

/** js-yaml's load, with errors reduced to the reason and position: its source snippet may quote a secret. */
export function loadYaml(text: string, schema: Schema, fileName?: string): { tree: unknown } | { issue: ConfigIssue } {
  try {
    return { tree: load(text, { schema, ...(fileName === undefined ? {} : { filename: fileName }) }) };
  } catch (error) {
    if (error instanceof YAMLException) {
      const where = error.mark ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}` : "";
      return { issue: { path: "", message: `YAML syntax error${where}: ${error.reason}` } };
    }
    return { issue: { path: "", message: `YAML error: ${error instanceof Error ? error.message : String(error)}` } };
  }
}

function parseYaml(yamlText: string, fileName: string | undefined): { tree: unknown } | { issue: ConfigIssue } {
  if (isBlankYaml(yamlText)) {
    return { issue: { path: "", message: "the file is empty: expected a mapping with at least upstream and subscription" } };
  }
  return loadYaml(yamlText, YAML_SCHEMA, fileName);
}

const SECTIONS = ["upstream", "poll", "web", "metrics", "subscription"];

/** Async checks (secret files) finish late: list issues by section as the file is laid out, stable within one. */
function inDocumentOrder(issues: ConfigIssue[]): ConfigIssue[] {
  const rank = (issue: ConfigIssue) => {
    const index = SECTIONS.indexOf(issue.path.split(/[.[]/, 1)[0] ?? "");
    return index === -1 ? SECTIONS.length : index;
  };
  return issues.map((issue, order) => ({ issue, order, rank: rank(issue) }))
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .map(({ issue }) => issue);
}

/** Validates a YAML config text into a Config. Throws ConfigError listing every problem. */
export async function parseConfig(yamlText: string, options: ParseOptions = {}): Promise<Config> {
  const { env = {}, baseDir = process.cwd(), fileName } = options;
  const parsed = parseYaml(yamlText, fileName);
  if ("issue" in parsed) throw new ConfigError([parsed.issue], fileName);
  if (parsed.tree === null || typeof parsed.tree !== "object" || Array.isArray(parsed.tree)) {
    throw new ConfigError([{ path: "", message: `expected a mapping at the top level, got ${describeType(parsed.tree)}` }], fileName);
  }
  if (exceedsValueLimit(parsed.tree)) {
    throw new ConfigError([{ path: "", message: `more than ${MAX_VALUES} values once aliases (*name) are expanded` }], fileName);
  }
  const envIssues: ConfigIssue[] = [];
  const tree = expandEnv(parsed.tree, env, envIssues);
  const result = await createConfigSchema(fileAccess(baseDir)).safeParseAsync(tree, { error: issueMessage });
  // A value whose variable is missing also fails validation: its env issue says why, once.
  const envPaths = new Set(envIssues.map((issue) => issue.path));
  const schemaIssues = result.success ? [] : toConfigIssues(result.error.issues).filter((issue) => !envPaths.has(issue.path));
  const issues = inDocumentOrder([...envIssues, ...schemaIssues, ...checkSubscription(tree)]);
  if (issues.length > 0 || !result.success) throw new ConfigError(issues, fileName);
  return result.data;
}

/** Reads and validates a config file; relative paths inside it are resolved against its directory. */
export async function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    throw new ConfigError([{ path: "", message: `cannot read config file ${absolute}: ${osReason(error)}` }], path);
  }
  return parseConfig(text, { env, baseDir: dirname(absolute), fileName: path });
}
