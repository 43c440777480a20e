// Stable row sets: the example config, run against the simulator at 300 agents, serves the same agents at every
// poll (issue 11, item 1: ordered by state_duration with limit 200, 34–41 agents vanished at every poll).
import { describe, expect, it } from "vitest";
import { DATA_PATH, calls, eventually, health, startPair, untilServing, valueOf } from "./harness.js";

describe("the example config's row sets", () => {
  it("serve the same agent set at every poll: 300 agents, 20 polls, states changing in between", async () => {
    const pair = await startPair({ simulator: { agents: 300, warmupPolls: 0 } });
    try {
      await untilServing(pair);
      const sets: string[] = [];
      for (let poll = 0; poll < 20; poll++) {
        pair.sim.tick(7); // agents change state between polls
        const served = calls(pair.sim).filter((c) => c === `GET ${DATA_PATH} 200`).length;
        // Two more polls: the second one's data was taken after the tick, and the first one's is served by then.
        await eventually(() => (calls(pair.sim).filter((c) => c === `GET ${DATA_PATH} 200`).length >= served + 2 ? true : undefined), 5_000, "two polls");
        const h = await health(pair.metricsUrl);
        const agents = new Set(h.samples.filter((s) => s.name === "brightpattern_agent_state").map((s) => s.labels.agent));
        sets.push([...agents].sort().join(","));
        expect(valueOf(h.samples, "brightpattern_grid_rows", { app_id: "wallboard", grid: "agents" })).toBe(300);
        expect(valueOf(h.samples, "brightpattern_grid_row_limit_reached", { app_id: "wallboard", grid: "agents" })).toBe(0);
      }
      expect(new Set(sets).size).toBe(1);
      expect(sets[0]?.split(",")).toHaveLength(300);
      expect(sets[0]?.split(",").sort()).toEqual(pair.sim.center.roster.agents.map((a) => a.loginId).sort());
      const changed = pair.sim.center.agents.filter((a) => a.state !== "ready").length;
      expect(changed).toBeGreaterThan(0);
    } finally {
      await pair.stop();
    }
  });
});
