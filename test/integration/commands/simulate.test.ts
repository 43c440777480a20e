import { EventEmitter } from "node:events";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { simulateCommand } from "../../../src/commands/simulate.js";
import { eventually } from "../../support/eventually.js";

/** A pino logger writing JSON lines into an array. */
function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe("simulateCommand", () => {
  it("serves until SIGTERM, logging the URL and printing the demo credentials", async () => {
    const signals = new EventEmitter();
    const { logger, lines } = captureLogger();
    let printed = "";
    const done = simulateCommand({ port: 0, agents: 12, services: 2 }, logger, { signals, print: (text) => void (printed += text) });
    await eventually(() => lines.find((l) => l.msg === "simulator listening"), 5_000, "the simulator to listen");
    const url = lines.find((l) => l.msg === "simulator listening")?.url as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(printed).toContain(`simulator on ${url}`);
    expect(printed).toContain("client_id=wallboard client_secret=demo-secret scope=demo.brightpattern.local");
    expect(printed).toContain('"username":"supervisor","password":"demo-password"');
    expect(JSON.stringify(lines)).not.toContain("demo-secret");
    const res = await fetch(`${url}/statsapi/info/check_available_agents?service=Sales`);
    expect(res.status).toBe(200);
    signals.emit("SIGTERM");
    await done;
    expect(signals.listenerCount("SIGTERM")).toBe(0);
    expect(signals.listenerCount("SIGINT")).toBe(0);
    await expect(fetch(`${url}/statsapi/info/check_available_agents?service=Sales`)).rejects.toThrow();
  });
});
