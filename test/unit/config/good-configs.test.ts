import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../../../src/config/load.js";
import type { Config } from "../../../src/config/types.js";
import { configText, SECRET } from "../../support/config-tree.js";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/config");

describe("good configs", () => {
  it("fills every default in a minimal config", async () => {
    const config = await loadConfig(resolve(FIXTURES, "minimal.yaml"), { BP_SECRET: "from-env" });
    const expected: Config = {
      upstream: {
        url: "https://bp.example.com",
        tenant_url: "example.brightpattern.com",
        timeout_ms: 10_000,
        column_key: "stat_name",
        tls: { insecure_skip_verify: false },
        auth: { method: "oauth", client_id: "wallboard", client_secret: "from-env", token_path: "/configapi/v2/oauth/token" },
      },
      poll: { interval_ms: 3_000, max_backoff_ms: 60_000, stale_after_ms: 30_000 },
      web: { listen_address: ":9737", metrics_path: "/metrics", enable_lifecycle: false },
      metrics: { namespace: "brightpattern", max_label_length: 256, max_series: 250_000, max_grid_rows: 10_000, percent_scale: { totals: 1, grids: 100 }, volatile_labels: "own_families" },
      subscription: { apps: [{ app_id: "wallboard", stats_totals: [{ stat_name: "in_calls_waiting" }], service_grids: [], agent_grids: [] }] },
    };
    expect(config).toEqual(expected);
  });

  it("reads a config with every key set", async () => {
    const config = await loadConfig(resolve(FIXTURES, "full.yaml"), {});
    expect(config.upstream).toEqual({
      url: "https://bp.example.com:8443",
      tenant_url: "example.brightpattern.com",
      timeout_ms: 90_000,
      column_key: "statName",
      tls: { ca_file: resolve(FIXTURES, "secrets/ca.pem"), ca: expect.stringContaining("BEGIN CERTIFICATE") as unknown, insecure_skip_verify: true },
      auth: { method: "oauth", client_id: "wallboard", client_secret: "oauth-secret-from-file", token_path: "/custom/token" },
    });
    expect(config.poll).toEqual({ interval_ms: 500, max_backoff_ms: 120_000, stale_after_ms: 45_000 });
    expect(config.web).toEqual({ listen_address: "127.0.0.1:9900", metrics_path: "/stats", config_file: resolve(FIXTURES, "web.yml"), enable_lifecycle: false });
    expect(config.metrics).toEqual({ namespace: "bp", max_label_length: 64, max_series: 250_000, max_grid_rows: 10_000, percent_scale: { totals: 100, grids: 1 }, volatile_labels: "own_families" });

    const [wall, second] = config.subscription.apps;
    expect(wall?.stats_totals).toEqual([
      { stat_name: "in_calls_waiting" },
      { stat_name: "service_level", type: "percent", metric: "sl", percent_scale: 100 },
    ]);
    expect(wall?.stats_totals_service_ids).toEqual(["svc-1", "svc-2"]);
    expect(wall?.stats_totals_dispositions).toEqual(["Sale"]);
    expect(wall?.service_grids).toEqual([
      {
        id: "services",
        columns: [
          { id: "svc", stat_name: "name", type: "label", label: "service" },
          { id: "abandoned", stat_name: "SUM", sum_stat_names: ["in_calls_abandoned_in_queue_per_day", "in_calls_short_abandoned_in_queue_per_day"] },
        ],
        order_by: "abandoned",
        order_dir: "ASC",
        limit: 25,
        key: "svc",
        extra: { service_ids: ["svc-1"] },
      },
    ]);
    expect(wall?.agent_grids).toEqual([
      {
        id: "7",
        columns: [
          { id: "login", stat_name: "login_id" },
          { id: "2", stat_name: "calls_dispositions_per_day", dispositions: ["Sale", "No answer"] },
          { id: "state", stat_name: "acd_state", type: "state" },
        ],
        order_by: "login",
        order_dir: "DESC",
        limit: 10,
        filter_by: "state",
        filter_value: "0",
        filter_operation: "NE",
        key: "login",
        extra: { team_ids: ["team-a"], logged_in_agents_only: "false", order: [{ by: "login", dir: "ASC" }] },
      },
    ]);
    expect(wall?.chat_messages).toEqual({ filter: "urgent", limit: 5 });
    expect(second).toEqual({ app_id: "second", stats_totals: [], service_grids: [], agent_grids: [], chat_messages: { limit: 10 } });
  });

  it("reads session auth with an inline password", async () => {
    const config = await parseConfig(configText({ "upstream.auth": { method: "session", username: "sup", password: SECRET } }));
    expect(config.upstream.auth).toEqual({ method: "session", username: "sup", password: SECRET });
  });

  it("reads password_file relative to the config file and strips the trailing newline", async () => {
    const config = await loadConfig(resolve(FIXTURES, "session-password-file.yaml"), {});
    expect(config.upstream.auth).toEqual({ method: "session", username: "supervisor", password: "file-password-123" });
  });

  it("resolves *_file against baseDir in parseConfig", async () => {
    const text = configText({ "upstream.auth": { client_id: "w", client_secret_file: "secrets/client-secret" } });
    const config = await parseConfig(text, { baseDir: FIXTURES });
    expect(config.upstream.auth).toMatchObject({ client_secret: "oauth-secret-from-file" });
  });

  it("expands ${VAR} from the given env everywhere, and $${ stays a literal ${", async () => {
    const text = configText({
      "upstream.url": "https://${BP_HOST}:${BP_PORT}",
      "upstream.auth.client_secret": "${BP_SECRET}",
      "poll.interval": "${INTERVAL}",
      "subscription.apps[0].app_id": "$${literal}",
    });
    const config = await parseConfig(text, { env: { BP_HOST: "bp.internal", BP_PORT: "8443", BP_SECRET: "s-from-env", INTERVAL: "750ms" } });
    expect(config.upstream.url).toBe("https://bp.internal:8443");
    expect(config.upstream.auth).toMatchObject({ client_secret: "s-from-env" });
    expect(config.poll.interval_ms).toBe(750);
    expect(config.subscription.apps[0]?.app_id).toBe("${literal}");
  });

  it.each([
    ["250ms", 250],
    ["1m30s", 90_000],
    ["2h", 7_200_000],
    [12, 12_000],
    ["0.5", 500],
  ])("reads timeout %j as %i ms", async (timeout, ms) => {
    const config = await parseConfig(configText({ "upstream.timeout": timeout }));
    expect(config.upstream.timeout_ms).toBe(ms);
  });

  it("defaults a grid's key to its login_id / name column and normalises grid fields", async () => {
    const config = await parseConfig(
      configText({
        "subscription.apps[0].service_grids[0].order_dir": "desc",
        "subscription.apps[0].service_grids[0].limit": " 30 ",
        "subscription.apps[0].agent_grids[0].filter_by": "state",
        "subscription.apps[0].agent_grids[0].filter_value": "",
        "subscription.apps[0].agent_grids[0].filter_operation": "NE",
      }),
    );
    const [app] = config.subscription.apps;
    expect(app?.service_grids[0]).toMatchObject({ key: "name", order_dir: "DESC", limit: 30, extra: {} });
    expect(app?.agent_grids[0]).toMatchObject({ key: "login", filter_by: "state", filter_value: "", filter_operation: "NE" });
    expect(app?.agent_grids[0]).not.toHaveProperty("order_by");
  });

  it("accepts a grid without the default key column when key is set", async () => {
    const config = await parseConfig(
      configText({
        "subscription.apps[0].agent_grids[0].columns": [{ id: "who", stat_name: "first_last_name" }],
        "subscription.apps[0].agent_grids[0].key": "who",
      }),
    );
    expect(config.subscription.apps[0]?.agent_grids[0]?.key).toBe("who");
  });

  it("accepts anchors and aliases", async () => {
    const yaml = [
      "upstream:",
      "  url: http://127.0.0.1:8088",
      "  tenant_url: t",
      "  auth: { client_id: w, client_secret: s }",
      "subscription:",
      "  apps:",
      "    - app_id: a",
      "      stats_totals: &totals [agents_ready, agents_logged]",
      "    - app_id: b",
      "      stats_totals: *totals",
    ].join("\n");
    const config = await parseConfig(yaml);
    expect(config.subscription.apps.map((a) => a.stats_totals.length)).toEqual([2, 2]);
  });

  it("accepts merge keys, so grids can share settings", async () => {
    const yaml = [
      "upstream: { url: http://127.0.0.1:8088, tenant_url: t, auth: { client_id: w, client_secret: s } }",
      "subscription:",
      "  apps:",
      "    - app_id: a",
      "      agent_grids:",
      "        - &agents { id: team1, columns: [{ id: login, stat_name: login_id }], limit: 20, team_ids: [t1] }",
      "        - { <<: *agents, id: team2, team_ids: [t2] }",
    ].join("\n");
    const grids = (await parseConfig(yaml)).subscription.apps[0]?.agent_grids;
    expect(grids?.map((g) => [g.id, g.limit, g.extra])).toEqual([
      ["team1", 20, { team_ids: ["t1"] }],
      ["team2", 20, { team_ids: ["t2"] }],
    ]);
  });

  it("loads config.example.yaml with BP_CLIENT_SECRET set", async () => {
    const config = await loadConfig(resolve(import.meta.dirname, "../../../config.example.yaml"), { BP_CLIENT_SECRET: "demo-secret" });
    expect(config.upstream).toMatchObject({ url: "http://127.0.0.1:8088", tenant_url: "demo.brightpattern.local" });
    expect(config.upstream.auth).toMatchObject({ method: "oauth", client_id: "wallboard", client_secret: "demo-secret" });
    const [app] = config.subscription.apps;
    expect(app?.app_id).toBe("wallboard");
    expect(app?.stats_totals).toHaveLength(8);
    expect(app?.service_grids[0]?.key).toBe("name");
    expect(app?.agent_grids[0]).toMatchObject({ key: "login_id", order_by: "login_id", order_dir: "ASC" });
    expect(app?.agent_grids[0]?.limit).toBeUndefined(); // every agent, every poll (stable row set)
    expect(app?.agent_grids[0]).not.toHaveProperty("filter_by");
    expect(app?.chat_messages).toEqual({ limit: 10 });
  });
});
