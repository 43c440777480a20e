// A benchmark-sized tenant must answer data quickly: this catches an accidental O(n²) in the grid path.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../../src/simulator/index.js";
import { bearer, getData, readData, subscribe } from "./harness.js";

let s: Simulator;
beforeAll(async () => {
  s = await startSimulator({ agents: 25_000, services: 500, tickMs: 0, warmupPolls: 0 });
});
afterAll(async () => {
  await s.close();
});

describe("large tenant (25 000 agents, 500 services)", () => {
  it("answers a full agent and service grid well within the poll interval", async () => {
    const auth = await bearer(s);
    const agentStats = ["login_id", "first_last_name", "team_name", "acd_state", "reason", "state_duration", "in_calls_handled_per_day", "agent_total_busy_time"];
    const serviceStats = ["name", "in_calls_waiting", "in_max_wait_time", "service_level", "agents_logged", "agents_ready"];
    await subscribe(s, auth, {
      wb: {
        stats_totals: ["in_calls_waiting", "agents_logged", "service_level"],
        service_grids: [{ id: "s", columns: serviceStats.map((x) => ({ id: x, stat_name: x })), order_by: "in_calls_waiting", order_dir: "DESC" }],
        agent_grids: [{ id: "a", columns: agentStats.map((x) => ({ id: x, stat_name: x })), order_by: "state_duration", order_dir: "DESC" }],
      },
    });
    await readData(s, auth); // warm the JIT
    s.tick(1);
    const started = performance.now();
    const text = await (await getData(s, auth)).text();
    const elapsed = performance.now() - started;
    const data = JSON.parse(text) as { wb: { agent_grids: { values: unknown[] }[]; service_grids: { values: unknown[] }[] } };
    expect(data.wb.agent_grids[0]?.values).toHaveLength(25_000);
    expect(data.wb.service_grids[0]?.values).toHaveLength(500);
    // ~250 ms on an idle 2-core machine; the bound leaves room for a loaded CI runner.
    expect(elapsed).toBeLessThan(3_000);
  });
});
