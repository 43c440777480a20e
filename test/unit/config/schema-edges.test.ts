// The schema's rules at their edges: the values just inside a bound are accepted, those just outside refused
// with the plain message, and the forms the seed and other clients write are read as meant.
import { describe, expect, it } from "vitest";
import { parseConfig, parseConfigFile } from "../../../src/config/load.js";
import { checkSubscription } from "../../../src/config/cross-checks.js";
import { rejection } from "../../support/config-rejection.js";
import { configText, validTree } from "../../support/config-tree.js";

const issuesOf = async (changes: Record<string, unknown>) => (await rejection(() => parseConfig(configText(changes)))).issues;
const GRID = "subscription.apps[0].service_grids[0]";

describe("bounds, just inside and just outside", () => {
  it("poll.interval: 100ms is the least", async () => {
    expect((await parseConfig(configText({ "poll.interval": "100ms" }))).poll.interval_ms).toBe(100);
    expect(await issuesOf({ "poll.interval": "99ms" })).toEqual([{ path: "poll.interval", message: "must be at least 100ms" }]);
  });

  it("poll.max_backoff may equal poll.interval, not be below it", async () => {
    expect((await parseConfig(configText({ "poll.interval": "5s", "poll.max_backoff": "5s" }))).poll.max_backoff_ms).toBe(5_000);
    expect(await issuesOf({ "poll.interval": "5s", "poll.max_backoff": "4s" })).toEqual([{ path: "poll.max_backoff", message: "must be at least poll.interval" }]);
  });

  it("a tenant's poll.interval override: 100ms is the least", async () => {
    const { upstream, subscription } = validTree();
    const file = await parseConfigFile(JSON.stringify({ tenants: [{ name: "a", upstream, subscription, poll: { interval: "100ms", stale_after: "1s", max_backoff: "1s" } }] }));
    expect(file.kind === "tenants" && file.tenants[0]!.config.poll.interval_ms).toBe(100);
    const error = await rejection(() => parseConfigFile(JSON.stringify({ tenants: [{ name: "a", upstream, subscription, poll: { interval: "99ms" } }] })));
    expect(error.issues).toEqual([{ path: "tenants[0].poll.interval", message: "must be at least 100ms" }]);
  });

  it("upstream.timeout must be above 0", async () => {
    expect(await issuesOf({ "upstream.timeout": "0s" })).toEqual([{ path: "upstream.timeout", message: "must be greater than 0" }]);
  });

  it("metrics.max_series and max_grid_rows take any whole number from 1", async () => {
    const parsed = await parseConfig(configText({ "metrics.max_series": 7, "metrics.max_grid_rows": 3 }));
    expect([parsed.metrics.max_series, parsed.metrics.max_grid_rows]).toEqual([7, 3]);
    expect((await issuesOf({ "metrics.max_series": 0 })).map((i) => i.path)).toEqual(["metrics.max_series"]);
  });

  it("a grid limit is a whole number from 1, also written as text", async () => {
    expect((await parseConfig(configText({ [`${GRID}.limit`]: " 50 " }))).subscription.apps[0]!.service_grids[0]!.limit).toBe(50);
    for (const limit of [0, 1.5, "x50", "50x", true]) {
      expect(await issuesOf({ [`${GRID}.limit`]: limit }), String(limit)).toEqual([{ path: `${GRID}.limit`, message: "expected a whole number >= 1" }]);
    }
  });
});

describe("forms read as meant", () => {
  it("order_dir and filter_operation in any case; a numeric filter_value as text", async () => {
    const parsed = await parseConfig(configText({ [`${GRID}.order_dir`]: "desc", [`${GRID}.filter_operation`]: "ne", [`${GRID}.filter_by`]: "name", [`${GRID}.filter_value`]: 7 }));
    expect(parsed.subscription.apps[0]!.service_grids[0]).toMatchObject({ order_dir: "DESC", filter_operation: "NE", filter_value: "7" });
    expect(await issuesOf({ [`${GRID}.order_dir`]: 1 })).toEqual([{ path: `${GRID}.order_dir`, message: 'expected one of "ASC", "DESC"' }]);
  });

  it("volatile_labels: own_families by default, agent_info when asked", async () => {
    expect((await parseConfig(configText())).metrics.volatile_labels).toBe("own_families");
    expect((await parseConfig(configText({ "metrics.volatile_labels": "agent_info" }))).metrics.volatile_labels).toBe("agent_info");
  });

  it("auth without method is oauth; a non-mapping auth is refused as such", async () => {
    expect((await parseConfig(configText())).upstream.auth.method).toBe("oauth");
    expect((await issuesOf({ "upstream.auth": "secret" })).map((i) => i.path)).toEqual(["upstream.auth"]);
  });
});

describe("cross-field checks on odd shapes", () => {
  const appWith = (app: Record<string, unknown>) => ({ subscription: { apps: [app] } });

  it("an app whose sections are all empty or null requests nothing; one section with something is enough", () => {
    const nothing = { path: "subscription.apps[0]", message: "requests nothing: add stats_totals, service_grids, agent_grids or chat_messages" };
    expect(checkSubscription(appWith({ app_id: "a", stats_totals: [], chat_messages: null }))).toEqual([nothing]);
    expect(checkSubscription(appWith({ app_id: "a", stats_totals: ["in_calls_waiting"] }))).toEqual([]);
    expect(checkSubscription(appWith({ app_id: "a", chat_messages: { limit: 5 } }))).toEqual([]);
  });

  it("items without an id are no duplicates of each other, and are not listed among a grid's ids", () => {
    const grid = { columns: [{ stat_name: "name" }, { id: "w", stat_name: "in_calls_waiting" }, { stat_name: "in_max_wait_time" }], key: "w", order_by: "x" };
    expect(checkSubscription(appWith({ app_id: "a", service_grids: [grid, { ...grid, order_by: undefined }] }))).toEqual([
      { path: "subscription.apps[0].service_grids[0].order_by", message: 'expected the id of a column of this grid ("w"), got "x"' },
    ]);
  });

  it("skips list items that are not mappings (the schema reports them)", () => {
    expect(checkSubscription({ subscription: { apps: ["junk", { app_id: "a", stats_totals: ["x"], service_grids: [7, { id: "g", columns: ["c", { id: "n", stat_name: "name" }] }] }] } })).toEqual([]);
  });
});
