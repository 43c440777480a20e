import pino from "pino";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { RenderFindingsLog } from "../../../src/exporter/render-findings.js";

function capture() {
  const lines: { msg: string; [k: string]: unknown }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(JSON.parse(chunk.toString("utf8")) as { msg: string });
      done();
    },
  });
  return { lines, logger: pino({ level: "warn" }, stream) };
}

const poll = (agents: number, services = 3) => ({
  invalidByPath: {},
  missing: [],
  rowsWithoutKey: 0,
  duplicateRows: 0,
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
    await new Promise((resolve) => setImmediate(resolve));
    const said = lines.filter((l) => l.msg.includes("supervise no team"));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ empty_agent_grids: ["wb/agents"] });
    expect(said[0]?.msg).toMatch(/make the user a supervisor of the agents' teams/);
    log.observe(poll(5));
    log.observe(poll(0));
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.filter((l) => l.msg.includes("supervise no team"))).toHaveLength(2);
  });
});
