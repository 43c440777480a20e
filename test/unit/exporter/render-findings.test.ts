import { describe, expect, it } from "vitest";
import { flushLog as flush, logLines as capture } from "../../support/log-lines.js";
import { RenderFindingsLog } from "../../../src/exporter/render-findings.js";


const poll = (agents: number, services = 3) => ({
  invalidByPath: {},
  missing: [],
  rowsWithoutKey: 0,
  duplicateRows: 0,
  rowsCut: 0,
  seriesCut: 0,
  gridRows: [
    { appId: "wb", grid: "services", scope: "service" as const, rows: services, limitReached: false },
    { appId: "wb", grid: "agents", scope: "agent" as const, rows: agents, limitReached: false },
  ],
});

describe("RenderFindingsLog: an empty agent grid", () => {
  it("says once that the API user may supervise no team in it, and again only after it had rows", async () => {
    const { lines, logger } = capture();
    const log = new RenderFindingsLog(logger);
    log.observe(poll(0));
    log.observe(poll(0));
    log.observe(poll(0, 0)); // an empty service grid is not about teams
    await flush();
    const said = lines.filter((l) => l.msg.includes("supervise no team"));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ empty_agent_grids: ["wb/agents"] });
    expect(said[0]?.msg).toMatch(/make the user a supervisor of the agents' teams/);
    log.observe(poll(5));
    log.observe(poll(0));
    await flush();
    expect(lines.filter((l) => l.msg.includes("supervise no team"))).toHaveLength(2);
  });
});
