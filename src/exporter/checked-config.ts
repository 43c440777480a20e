// A config is usable only when it validates, its columns map to metric families without clashes,
// and its web config (TLS, basic auth) loads.
import { ConfigError } from "../config/errors.js";
import { loadConfig } from "../config/load.js";
import type { Config, ConfigIssue } from "../config/types.js";
import { type MetricPlan, buildMetricPlan } from "../metrics/plan.js";
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
  if (issues.length > 0) throw new ConfigError(issues, fileName);
  const web = config.web.config_file === undefined ? {} : await loadWebConfig(config.web.config_file);
  return { config, plan, warnings, web };
}

/** Loads, validates and plans a config file. Throws ConfigError listing every problem with its path. */
export async function loadCheckedConfig(path: string, env: NodeJS.ProcessEnv = process.env): Promise<CheckedConfig> {
  return checkConfig(await loadConfig(path, env), path);
}
