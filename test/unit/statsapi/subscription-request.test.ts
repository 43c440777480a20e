import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import type { ColumnKey, Config } from "../../../src/config/types.js";
import { buildSubscriptionRequest } from "../../../src/statsapi/subscription-request.js";

function yaml(columnKey: ColumnKey): string {
  return `
upstream:
  url: http://127.0.0.1:8088
  tenant_url: demo.brightpattern.local
  column_key: ${columnKey}
  auth: { client_id: wallboard, client_secret: s }
subscription:
  apps:
    - app_id: wallboard
      stats_totals:
        - in_calls_waiting
        - { stat_name: service_level, type: percent, metric: sl, percent_scale: 100 }
      stats_totals_service_ids: [svc-1]
      service_grids:
        - id: services
          columns:
            - { id: name, stat_name: name, type: label, label: service_label }
            - { id: abandoned, stat_name: SUM, sum_stat_names: [a, b], metric: abandoned_calls }
          order_by: abandoned
          order_dir: desc
          limit: 50
          service_ids: [svc-1]
      agent_grids:
        - id: agents
          columns:
            - { id: login, stat_name: login_id }
            - { id: dispo, stat_name: calls_dispositions_per_day, dispositions: [Sale] }
            - { id: state, stat_name: acd_state, type: state }
          key: login
          filter_by: state
          filter_value: ""
          filter_operation: ne
          team_ids: [t-1]
          logged_in_agents_only: false
      chat_messages: { filter: help, limit: 5 }
    - app_id: chat_only
      chat_messages: {}
`;
}

const configFor = (columnKey: ColumnKey): Promise<Config> => parseConfig(yaml(columnKey));

describe("buildSubscriptionRequest", () => {
  it.each(["stat_name", "statName"] as const)("builds the seed's body with column key %s", async (columnKey) => {
    const config = await configFor(columnKey);
    expect(buildSubscriptionRequest(config)).toEqual({
      wallboard: {
        stats_totals: ["in_calls_waiting", "service_level"],
        stats_totals_service_ids: ["svc-1"],
        service_grids: [
          {
            id: "services",
            columns: [
              { id: "name", [columnKey]: "name" },
              { id: "abandoned", [columnKey]: "SUM", sum_stat_names: ["a", "b"] },
            ],
            order_by: "abandoned",
            order_dir: "DESC",
            limit: "50",
            service_ids: ["svc-1"],
          },
        ],
        agent_grids: [
          {
            id: "agents",
            columns: [
              { id: "login", [columnKey]: "login_id" },
              { id: "dispo", [columnKey]: "calls_dispositions_per_day", dispositions: ["Sale"] },
              { id: "state", [columnKey]: "acd_state" },
            ],
            filter_by: "state",
            filter_value: "",
            filter_operation: "NE",
            team_ids: ["t-1"],
            logged_in_agents_only: false,
          },
        ],
        chat_messages: { filter: "help", limit: "5" },
      },
      chat_only: { chat_messages: { limit: "10" } },
    });
  });

  it("sends the totals' dispositions, and nothing for sections an app does not have", async () => {
    const config = await parseConfig(
      yaml("stat_name").replace(/subscription:[\s\S]*$/, "subscription:\n  apps:\n    - app_id: totals_only\n      stats_totals: [in_calls_waiting]\n      stats_totals_dispositions: [Sale, Lead]\n"),
    );
    expect(buildSubscriptionRequest(config)).toEqual({ totals_only: { stats_totals: ["in_calls_waiting"], stats_totals_dispositions: ["Sale", "Lead"] } });
  });

  it("never sends exporter-only keys or the other column key", async () => {
    const body = JSON.stringify(buildSubscriptionRequest(await configFor("statName")));
    for (const key of ['"type"', '"metric"', '"label"', '"percent_scale"', '"key"', '"extra"', '"stat_name"']) {
      expect(body).not.toContain(key);
    }
  });

  it("lets the known grid fields win over a pass-through key of the same meaning", async () => {
    const config = await configFor("stat_name");
    const grid = config.subscription.apps[0]?.service_grids[0];
    if (grid === undefined) throw new Error("fixture has a service grid");
    grid.extra = { ...grid.extra, id: "hijack", columns: [] };
    const sent = buildSubscriptionRequest(config).wallboard?.service_grids?.[0];
    expect(sent?.id).toBe("services");
    expect(sent?.columns).toHaveLength(2);
  });

  it("is pure: the config is not changed and the body shares no arrays with it", async () => {
    const config = await configFor("stat_name");
    const before = structuredClone(config);
    const body = buildSubscriptionRequest(config);
    body.wallboard?.agent_grids?.[0]?.columns[1]?.dispositions?.push("mutated");
    (body.wallboard?.service_grids?.[0]?.service_ids as string[]).push("mutated");
    expect(config).toEqual(before);
    expect(buildSubscriptionRequest(config)).toEqual(buildSubscriptionRequest(before));
  });

  it("keeps an app id like __proto__ as a plain key", async () => {
    const config = await configFor("stat_name");
    const [app] = config.subscription.apps;
    if (app === undefined) throw new Error("fixture has an app");
    const body = buildSubscriptionRequest({ ...config, subscription: { apps: [{ ...app, app_id: "__proto__" }] } });
    expect(Object.keys(body)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
  });
});
