// A config is usable only when it validates AND its columns map to metric families without clashes.
import { ConfigError } from "./config/errors.js";
import { loadConfig } from "./config/load.js";
import type { Config, ConfigIssue } from "./config/types.js";
import { type MetricPlan, buildMetricPlan } from "./metrics/plan.js";

export interface CheckedConfig {
  config: Config;
  plan: MetricPlan;
  /** Not fatal: e.g. statistic names the catalogue does not know. */
  warnings: ConfigIssue[];
}

export function checkConfig(config: Config, fileName?: string): CheckedConfig {
  const { plan, issues, warnings } = buildMetricPlan(config);
  if (issues.length > 0) throw new ConfigError(issues, fileName);
  return { config, plan, warnings };
}

/** Loads, validates and plans a config file. Throws ConfigError listing every problem with its path. */
export async function loadCheckedConfig(path: string, env: NodeJS.ProcessEnv = process.env): Promise<CheckedConfig> {
  return checkConfig(await loadConfig(path, env), path);
}
