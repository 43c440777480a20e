// A config is usable only when it validates, its columns map to metric families without clashes,
// and its web config (TLS, basic auth) loads.
import { ConfigError } from "../config/errors.js";
import { readFile } from "node:fs/promises";
import { loadConfig, readTree } from "../config/load.js";
import type { Config, ConfigIssue } from "../config/types.js";
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
  return { config, plan, warnings, web };
}

/** A config with errors still gets its statistic-name warnings, read from its document: a typo there is often the cause. */
async function withNameWarnings(error: ConfigError, path: string, env: NodeJS.ProcessEnv): Promise<ConfigError> {
  const text = await readFile(path, "utf8").catch(() => undefined);
  const read = text === undefined ? undefined : readTree(text, env, path);
  const warnings = read === undefined || "issues" in read ? [] : statisticNameWarnings(read.tree);
  return warnings.length === 0 ? error : new ConfigError(error.issues, error.fileName, [...error.warnings, ...warnings]);
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
