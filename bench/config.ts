// The benchmark's exporter config and sizes: one agent grid of 10 series per agent (an info series, a
// 5-state StateSet and 4 duration columns that always have a value), so `agents = series / 10`.
import { checkConfig } from "../src/exporter/checked-config.js";
import type { CheckedConfig } from "../src/exporter/checked-config.js";
import { parseConfig } from "../src/config/load.js";

export const SERIES_PER_AGENT = 10;
export const MAX_AGENTS = 25_000;
/** Duration columns watched for freshness: each grows every simulated second for agents in that state. */
export const STATE_TIME_COLUMNS = {
  ready: { stat: "agent_total_ready_time", family: "brightpattern_agent_total_ready_time_seconds" },
  busy: { stat: "agent_total_busy_time", family: "brightpattern_agent_total_busy_time_seconds" },
  not_ready: { stat: "agent_total_break_time", family: "brightpattern_agent_total_break_time_seconds" },
  after_call_work: { stat: "agent_total_ACW_time", family: "brightpattern_agent_total_after_call_work_time_seconds" },
} as const;
export type WatchedState = keyof typeof STATE_TIME_COLUMNS;
export const APP_ID = "bench";
export const GRID_ID = "agents";

export function benchConfigYaml(upstreamUrl: string, agents: number, intervalMs: number): string {
  return `
upstream:
  url: ${upstreamUrl}
  tenant_url: demo.brightpattern.local
  timeout: 30s
  auth: { method: oauth, client_id: wallboard, client_secret: demo-secret }
poll: { interval: ${intervalMs}ms, max_backoff: 5s, stale_after: 120s }
web: { listen_address: "127.0.0.1:0" }
subscription:
  apps:
    - app_id: ${APP_ID}
      agent_grids:
        - id: ${GRID_ID}
          limit: ${agents}
          columns:
            - { id: login_id, stat_name: login_id }
            - { id: name, stat_name: first_last_name }
            - { id: team, stat_name: team_name }
            - { id: state, stat_name: acd_state }
${Object.values(STATE_TIME_COLUMNS)
  .map(({ stat }) => `            - { id: ${stat.toLowerCase()}, stat_name: ${stat} }`)
  .join("\n")}
`;
}

export async function benchConfig(upstreamUrl: string, agents: number, intervalMs: number): Promise<CheckedConfig> {
  return checkConfig(await parseConfig(benchConfigYaml(upstreamUrl, agents, intervalMs), { env: {} }));
}

/** "1k", "10k", "100k", "250k", "2500" → series; agents rounded to whole rows of SERIES_PER_AGENT. */
export function parseSize(text: string): { label: string; series: number; agents: number } {
  const match = /^(\d+(?:\.\d+)?)(k?)$/i.exec(text.trim());
  if (match === null) throw new Error(`--sizes: "${text}" is not a size like 1k, 10k or 2500`);
  const series = Number(match[1]) * (match[2] === "" ? 1 : 1000);
  const agents = Math.max(1, Math.round(series / SERIES_PER_AGENT));
  if (agents > MAX_AGENTS) throw new Error(`--sizes: ${text} needs ${agents} agents; the simulator has at most ${MAX_AGENTS} (${MAX_AGENTS * SERIES_PER_AGENT} series)`);
  return { label: text.trim(), series, agents };
}
