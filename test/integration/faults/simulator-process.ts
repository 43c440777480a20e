// The simulator in a child process, so a fault that costs the simulator CPU (building and sending a 50 MB
// body) does not stall the test process, and the probes time the exporter alone. Run as a script, it serves
// a simulator and speaks JSON lines: commands in on stdin ({"fault": name, "args": [...]}), the URL and then
// every request record out on stdout.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Faults, RequestRecord } from "../../../src/simulator/index.js";
import { startSimulator } from "../../../src/simulator/index.js";

const TSX = fileURLToPath(new URL("../../../node_modules/tsx/dist/cli.mjs", import.meta.url));
const SELF = fileURLToPath(import.meta.url);

export interface SimulatorProcess {
  url: string;
  /** Filled as the child reports them (within ~10 ms). */
  requests: RequestRecord[];
  faults: Pick<Faults, "hugeNext" | "bloatedNext" | "reset">;
  close(): Promise<void>;
}

export async function startSimulatorProcess(): Promise<SimulatorProcess> {
  const child: ChildProcess = spawn(process.execPath, [TSX, SELF, "--serve"], { stdio: ["pipe", "pipe", "inherit"] });
  const requests: RequestRecord[] = [];
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`simulator process exited with ${code}`)));
    lines.on("line", (line) => {
      const message = JSON.parse(line) as { url?: string; request?: RequestRecord };
      if (message.url !== undefined) resolve(message.url);
      if (message.request !== undefined) requests.push(message.request);
    });
  });
  const send = (fault: string, args: unknown[]) => child.stdin?.write(`${JSON.stringify({ fault, args })}\n`);
  return {
    url: await url,
    requests,
    faults: {
      hugeNext: (count, bytes) => void send("hugeNext", [count, bytes]),
      bloatedNext: (count, bytes, item) => void send("bloatedNext", item === undefined ? [count, bytes] : [count, bytes, item]),
      reset: () => void send("reset", []),
    },
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

async function serve(): Promise<void> {
  const sim = await startSimulator({ tickMs: 0, host: "127.0.0.1" });
  const write = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);
  write({ url: sim.url });
  let reported = 0;
  setInterval(() => {
    for (; reported < sim.requests.length; reported++) write({ request: sim.requests[reported] });
  }, 10);
  createInterface({ input: process.stdin }).on("line", (line) => {
    const { fault, args } = JSON.parse(line) as { fault: keyof Faults; args: never[] };
    (sim.faults[fault] as (...a: never[]) => void)(...args);
  });
  process.once("SIGTERM", () => {
    void sim.close().then(() => process.exit(0));
  });
}

if (process.argv.includes("--serve") && process.argv[1] === SELF) await serve();
