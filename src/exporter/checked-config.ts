// A config is usable only when it validates, its columns map to metric families without clashes,
// and its web config (TLS, basic auth) loads.
import { ConfigError } from "../config/errors.js";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { loadConfig, loadConfigFile, readTenantFiles, readTree } from "../config/load.js";
import { plainHttpWarnings } from "../config/plain-http.js";
import { tenantIssuePath } from "../config/tenants.js";
import type { Config, ConfigFile, ConfigIssue, MetricsConfig, WebConfig } from "../config/types.js";
import { type MetricPlan, buildMetricPlan } from "../metrics/plan.js";
import { statisticNameWarnings } from "../metrics/statistic-names.js";
import { type WebProtection, loadWebConfig } from "../http/web-config.js";

export interface CheckedConfig {
  config: Config;
  plan: MetricPlan;
  /** Not fatal: e.g. statistic names the catalogue does not know. */
  warnings: ConfigIssue[];
  /** From web.config_file; empty without one. */
  web: WebProtection;
}

export async function checkConfig(config: Config, fileName?: string): Promise<CheckedConfig> {
  const { plan, issues, warnings } = buildMetricPlan(config);
  if (issues.length > 0) throw new ConfigError(issues, fileName, warnings);
  const web = config.web.config_file === undefined ? {} : await loadWebConfig(config.web.config_file);
  return { config, plan, warnings: [...warnings, ...plainHttpWarnings(config)], web };
}

/**
 * A config with errors still gets its statistic-name warnings, read from its document and its tenants_dir
 * files (each at the tenant's path): a typo there is often the cause.
 */
async function withNameWarnings(error: ConfigError, path: string, env: NodeJS.ProcessEnv): Promise<ConfigError> {
  const text = await readFile(path, "utf8").catch(() => undefined);
  const read = text === undefined ? undefined : readTree(text, env, path);
  if (read === undefined || "issues" in read) return error;
  const { tree } = read;
  const fromDir = typeof tree.tenants_dir === "string" ? await tenantFileNameWarnings(resolve(dirname(path), tree.tenants_dir), tree.tenants_dir, env) : [];
  const warnings = [...statisticNameWarnings(tree), ...fromDir];
  return warnings.length === 0 ? error : new ConfigError(error.issues, error.fileName, [...error.warnings, ...warnings]);
}

/** The statistic-name warnings of every readable tenants_dir file, at the file's path. */
async function tenantFileNameWarnings(dir: string, asWritten: string, env: NodeJS.ProcessEnv): Promise<ConfigIssue[]> {
  const read = await readTenantFiles(dir, asWritten, env);
  if ("issue" in read) return [];
  return read.files.flatMap(({ source, read: file }) =>
    "issues" in file ? [] : statisticNameWarnings(file.tree).map((warning) => ({ ...warning, path: tenantIssuePath(source, warning.path) })),
  );
}

/** Loads, validates and plans a config file. Throws ConfigError listing every problem with its path (and the warnings). */
export async function loadCheckedConfig(path: string, env: NodeJS.ProcessEnv = process.env): Promise<CheckedConfig> {
  let config: Config;
  try {
    config = await loadConfig(path, env);
  } catch (error) {
    throw error instanceof ConfigError ? await withNameWarnings(error, path, env) : error;
  }
  return checkConfig(config, path);
}

/** One tenant of a config with tenants, checked. */
export interface CheckedTenant {
  name: string;
  checked: CheckedConfig;
}

/** A config with tenants, checked: every tenant's plan, the shared web protection. */
export interface CheckedTenants {
  tenants: CheckedTenant[];
  /** The file's own settings, shared by every tenant. */
  shared: { web: WebConfig; metrics: MetricsConfig };
  warnings: ConfigIssue[];
  web: WebProtection;
}

/** Either form of a config file, checked. */
export type CheckedFile = ({ kind: "single" } & CheckedConfig) | ({ kind: "tenants" } & CheckedTenants);

/** Plans every tenant (issues and warnings at the tenant's path) and loads the web config once. */
export async function checkConfigFile(file: ConfigFile, fileName?: string): Promise<CheckedFile> {
  if (file.kind === "single") return { kind: "single", ...(await checkConfig(file.config, fileName)) };
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const tenants: CheckedTenant[] = [];
  for (const tenant of file.tenants) {
    const planned = buildMetricPlan(tenant.config, { tenant: true });
    const at = (issue: ConfigIssue) => ({ ...issue, path: tenantIssuePath(tenant.source, issue.path) });
    const tenantWarnings = [...planned.warnings, ...plainHttpWarnings(tenant.config)].map(at);
    issues.push(...planned.issues.map(at));
    warnings.push(...tenantWarnings);
    tenants.push({ name: tenant.name, checked: { config: tenant.config, plan: planned.plan, warnings: tenantWarnings, web: {} } });
  }
  if (issues.length > 0) throw new ConfigError(issues, fileName, warnings);
  const web = file.web.config_file === undefined ? {} : await loadWebConfig(file.web.config_file);
  for (const tenant of tenants) tenant.checked.web = web;
  return { kind: "tenants", tenants, shared: { web: file.web, metrics: file.metrics }, warnings, web };
}

/** Loads, validates and plans a config file of either form. Throws ConfigError listing every problem. */
export async function loadCheckedConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): Promise<CheckedFile> {
  let file: ConfigFile;
  try {
    file = await loadConfigFile(path, env);
  } catch (error) {
    throw error instanceof ConfigError ? await withNameWarnings(error, path, env) : error;
  }
  return checkConfigFile(file, path);
}
