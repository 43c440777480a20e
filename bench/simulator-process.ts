// Benchmark child: the simulator, ticked by hand (tickMs 0) so the benchmark knows when values change.
import { startSimulator } from "../src/simulator/index.js";
import { agentColumn } from "../src/simulator/statistics.js";
import { STATE_TIME_COLUMNS, type WatchedState } from "./config.js";
import { childOptions, serveCommands } from "./child.js";

export interface WatchedValue {
  family: string;
  agent: string;
  value: string;
}

const DATA_PATH = "/statsapi/subscription/data";
const options = childOptions<{ agents: number }>();
const simulator = await startSimulator({ agents: options.agents, services: 20, tickMs: 0, seed: 7, startTime: Date.UTC(2026, 0, 5, 9) });
// Start the day with agents in every state (the model begins with everyone logged out).
simulator.tick(600);

/** After a tick: one agent whose state-time column grew, and the value the next data answer carries. */
function watched(): WatchedValue {
  const { center } = simulator;
  const index = center.agents.findIndex((agent) => agent.state in STATE_TIME_COLUMNS);
  if (index < 0) throw new Error("no agent is logged in");
  const column = STATE_TIME_COLUMNS[center.agents[index]!.state as WatchedState];
  return { family: column.family, agent: center.roster.agents[index]!.loginId, value: agentColumn(center, column.stat, null)(index) };
}

serveCommands({
  ready: () => ({ url: simulator.url }),
  tick: () => {
    simulator.tick(1);
    return watched();
  },
  /** Data requests answered since `since` (epoch ms). */
  dataRequests: (since: number) => simulator.requests.filter((r) => r.path === DATA_PATH && r.at >= since).length,
  close: () => simulator.close(),
});
