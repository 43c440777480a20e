import { EventEmitter } from "node:events";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { runSimulateCommand } from "../../../src/simulator/index.js";

/** A pino logger writing JSON lines into an array. */
function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe("runSimulateCommand", () => {
  it("serves until SIGTERM, logging the URL and printing the demo credentials", async () => {
    const signals = new EventEmitter();
    const { logger, lines } = captureLogger();
    let printed = "";
    const done = runSimulateCommand({ port: 0, agents: 12, services: 2 }, logger, { signals, print: (text) => void (printed += text) });
    await waitFor(() => lines.find((l) => l.msg === "simulator listening"));
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

async function waitFor<T>(check: () => T | undefined, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
