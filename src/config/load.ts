import { readFile, readdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { CORE_SCHEMA, load, mergeTag, type Schema, YAMLException } from "js-yaml";
import { expandEnv } from "./env.js";
import { ConfigError } from "./errors.js";
import { describeType, issueMessage, toConfigIssues } from "./zod-issues.js";
import { TENANT_NAME, TENANT_NAME_RULE, createConfigSchema } from "./schema.js";
import { type TenantEntry, assembleTenants, tenantIssuePath } from "./tenants.js";
import { formatPath } from "../document/path.js";
import { checkSubscription } from "./cross-checks.js";
import { fileAccess, osReason } from "./secrets.js";
import type { Config, ConfigFile, ConfigIssue } from "./types.js";

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

const SECTIONS = ["upstream", "poll", "web", "metrics", "subscription", "tenants", "tenants_dir"];

/** Async checks (secret files) finish late: list issues by section as the file is laid out, stable within one. */
function inDocumentOrder(issues: ConfigIssue[]): ConfigIssue[] {
  const rank = (issue: ConfigIssue) => {
    const index = SECTIONS.indexOf(issue.path.split(/[.[]/, 1)[0] ?? "");
    return index === -1 ? SECTIONS.length : index;
  };
  // Array.prototype.sort is stable: the issues of one section keep the order they were found in.
  return issues.map((issue) => ({ issue, rank: rank(issue) }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ issue }) => issue);
}

/** A YAML text → its env-expanded tree, a mapping; or the issues that stop it there. */
export function readTree(yamlText: string, env: NodeJS.ProcessEnv, fileName: string | undefined): { tree: Record<string, unknown>; envIssues: ConfigIssue[] } | { issues: ConfigIssue[] } {
  const parsed = parseYaml(yamlText, fileName);
  if ("issue" in parsed) return { issues: [parsed.issue] };
  if (parsed.tree === null || typeof parsed.tree !== "object" || Array.isArray(parsed.tree)) {
    return { issues: [{ path: "", message: `expected a mapping at the top level, got ${describeType(parsed.tree)}` }] };
  }
  if (exceedsValueLimit(parsed.tree)) {
    return { issues: [{ path: "", message: `more than ${MAX_VALUES} values once aliases (*name) are expanded` }] };
  }
  const envIssues: ConfigIssue[] = [];
  const tree = expandEnv(parsed.tree, env, envIssues) as Record<string, unknown>;
  return { tree, envIssues };
}

/** Schema issues, without those at a path whose variable is missing (its env issue says why, once). */
function withoutEnvDuplicates(envIssues: ConfigIssue[], schemaIssues: ConfigIssue[]): ConfigIssue[] {
  const envPaths = new Set(envIssues.map((issue) => issue.path));
  return schemaIssues.filter((issue) => !envPaths.has(issue.path));
}

/** Validates a YAML config text, single-tenant or with tenants. Throws ConfigError listing every problem. */
export async function parseConfigFile(yamlText: string, options: ParseOptions = {}): Promise<ConfigFile> {
  const { env = {}, baseDir = process.cwd(), fileName } = options;
  const read = readTree(yamlText, env, fileName);
  if ("issues" in read) throw new ConfigError(read.issues, fileName);
  const { tree, envIssues } = read;
  const schemas = createConfigSchema(fileAccess(baseDir));
  if (!("tenants" in tree) && !("tenants_dir" in tree)) {
    const result = await schemas.single.safeParseAsync(tree, { error: issueMessage });
    const schemaIssues = result.success ? [] : toConfigIssues(result.error.issues);
    const issues = inDocumentOrder([...envIssues, ...withoutEnvDuplicates(envIssues, schemaIssues), ...checkSubscription(tree)]);
    if (issues.length > 0 || !result.success) throw new ConfigError(issues, fileName);
    return { kind: "single", config: result.data };
  }
  const result = await schemas.tenants.safeParseAsync(tree, { error: issueMessage });
  const schemaIssues = result.success ? [] : toConfigIssues(result.error.issues);
  const listIssues = (Array.isArray(tree.tenants) ? tree.tenants : []).flatMap((entry, index) => checkSubscription(entry, ["tenants", index]));
  const issues = inDocumentOrder([...envIssues, ...withoutEnvDuplicates(envIssues, schemaIssues), ...listIssues]);
  if (issues.length > 0 || !result.success) throw new ConfigError(issues, fileName);
  const { web, metrics, poll, tenants_dir } = result.data;
  const fromDir = tenants_dir === undefined ? { entries: [], issues: [] } : await readTenantsDir(tenants_dir, String(tree.tenants_dir), env);
  const fromList = (result.data.tenants ?? []).map((entry, index) => ({ ...entry, source: formatPath(["tenants", index]) }));
  const assembled = assembleTenants({ web, metrics, poll }, [...fromList, ...fromDir.entries]);
  const issues2 = [...fromDir.issues, ...assembled.issues];
  if (tenants_dir !== undefined && fromList.length + fromDir.entries.length === 0 && fromDir.issues.length === 0) {
    issues2.push({ path: "tenants_dir", message: `no tenant file (*.yaml, *.yml) in ${tenants_dir}` });
  }
  if (issues2.length > 0) throw new ConfigError(issues2, fileName);
  return { kind: "tenants", web, metrics, poll, tenants: assembled.tenants, ...(tenants_dir === undefined ? {} : { tenants_dir }) };
}

/** A tenants_dir file, as read: its name in messages (`tenants.d/acme.yaml`) and its tree, or why it has none. */
export interface TenantFile {
  name: string;
  source: string;
  read: { tree: Record<string, unknown>; envIssues: ConfigIssue[] } | { issues: ConfigIssue[] };
}

/** Each *.yaml / *.yml file of tenants_dir (hidden ones skipped: Kubernetes' ..data links), read and env-expanded. */
export async function readTenantFiles(dir: string, asWritten: string, env: NodeJS.ProcessEnv): Promise<{ files: TenantFile[] } | { issue: ConfigIssue }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name) && !name.startsWith(".")).sort();
  } catch (error) {
    return { issue: { path: "tenants_dir", message: `cannot read ${dir}: ${osReason(error)}` } };
  }
  const files: TenantFile[] = [];
  for (const name of names) {
    const source = `${asWritten.replace(/\/+$/, "")}/${name}`;
    let text: string;
    try {
      text = await readFile(join(dir, name), "utf8");
    } catch (error) {
      files.push({ name, source, read: { issues: [{ path: "", message: `cannot read: ${osReason(error)}` }] } });
      continue;
    }
    files.push({ name, source, read: readTree(text, env, undefined) });
  }
  return { files };
}

/** Each file of tenants_dir as a tenant; issues carry the file. */
async function readTenantsDir(dir: string, asWritten: string, env: NodeJS.ProcessEnv): Promise<{ entries: TenantEntry[]; issues: ConfigIssue[] }> {
  const read = await readTenantFiles(dir, asWritten, env);
  if ("issue" in read) return { entries: [], issues: [read.issue] };
  const schema = createConfigSchema(fileAccess(dir)).tenantFile;
  const entries: TenantEntry[] = [];
  const issues: ConfigIssue[] = [];
  for (const { name, source, read: file } of read.files) {
    const inFile = (issue: ConfigIssue): ConfigIssue => ({ path: tenantIssuePath(source, issue.path), message: issue.message });
    if ("issues" in file) {
      issues.push(...file.issues.map(inFile));
      continue;
    }
    const result = await schema.safeParseAsync(file.tree, { error: issueMessage });
    const schemaIssues = result.success ? [] : toConfigIssues(result.error.issues);
    const fileIssues = inDocumentOrder([...file.envIssues, ...withoutEnvDuplicates(file.envIssues, schemaIssues), ...checkSubscription(file.tree)]);
    issues.push(...fileIssues.map(inFile));
    if (fileIssues.length === 0 && result.success) {
      // A name from the file name is the tenant label too: the same rule as a written one.
      const tenant = result.data.name ?? name.replace(/\.ya?ml$/, "");
      if (TENANT_NAME.test(tenant)) entries.push({ ...result.data, name: tenant, source });
      else issues.push(inFile({ path: "", message: `the file name "${tenant}" is not a tenant name (${TENANT_NAME_RULE}): rename the file or set name in it` }));
    }
  }
  return { entries, issues };
}

/** Validates a single-tenant config text into a Config (commands that talk to one upstream). */
export async function parseConfig(yamlText: string, options: ParseOptions = {}): Promise<Config> {
  return singleTenant(await parseConfigFile(yamlText, options), options.fileName);
}

/** The one tenant of a single-tenant file; a file with tenants names them. */
export function singleTenant(file: ConfigFile, fileName?: string, tenant?: string): Config {
  if (file.kind === "single") return file.config;
  const names = file.tenants.map((t) => t.name);
  const chosen = file.tenants.find((t) => t.name === tenant);
  if (chosen) return chosen.config;
  throw new ConfigError([{ path: "tenants", message: `this config has tenants (${names.join(", ")}): choose one with --tenant NAME` }], fileName);
}

async function readConfigText(path: string): Promise<string> {
  try {
    return await readFile(resolve(path), "utf8");
  } catch (error) {
    throw new ConfigError([{ path: "", message: `cannot read config file ${resolve(path)}: ${osReason(error)}` }], path);
  }
}

/** Reads and validates a config file; relative paths inside it are resolved against its directory. */
export async function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): Promise<ConfigFile> {
  return parseConfigFile(await readConfigText(path), { env, baseDir: dirname(resolve(path)), fileName: path });
}

/** Reads a single-tenant config file (or one tenant of a file with tenants). */
export async function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env, tenant?: string): Promise<Config> {
  return singleTenant(await loadConfigFile(path, env), path, tenant);
}
