// Test support: an UpstreamConfig for the simulator's default credentials, under either auth method.
import type { UpstreamConfig } from "../../../src/config/types.js";
import type { SubscriptionRequest } from "../../../src/statsapi/types.js";

export type AuthMethod = "oauth" | "session";

export const TENANT = "demo.brightpattern.local";
export const USERNAME = "supervisor";
export const PASSWORD = "demo-password";
export const CLIENT_ID = "wallboard";
export const CLIENT_SECRET = "demo-secret";
export const TOKEN_PATH = "/configapi/v2/oauth/token";

export function upstreamConfig(url: string, method: AuthMethod, overrides: Partial<UpstreamConfig> = {}): UpstreamConfig {
  return {
    url,
    tenant_url: TENANT,
    timeout_ms: 2_000,
    column_key: "stat_name",
    tls: { insecure_skip_verify: false },
    auth:
      method === "oauth"
        ? { method: "oauth", client_id: CLIENT_ID, client_secret: CLIENT_SECRET, token_path: TOKEN_PATH }
        : { method: "session", username: USERNAME, password: PASSWORD },
    ...overrides,
  };
}

/** A small valid subscription: totals, one service grid, one agent grid, chat. */
export const SUBSCRIPTION: SubscriptionRequest = {
  wallboard: {
    stats_totals: ["in_calls_waiting", "agents_ready"],
    service_grids: [
      {
        id: "services",
        columns: [
          { id: "name", stat_name: "name" },
          { id: "waiting", stat_name: "in_calls_waiting" },
        ],
      },
    ],
    agent_grids: [
      {
        id: "agents",
        columns: [
          { id: "login", stat_name: "login_id" },
          { id: "state", stat_name: "acd_state" },
        ],
        order_by: "login",
        order_dir: "ASC",
        limit: "100",
      },
    ],
    chat_messages: { filter: "", limit: "10" },
  },
};
