// A benchmark child process (the simulator, or a server under test) driven by request/answer messages over IPC.
// Children are separate processes so that the simulator's data generation and the load generator never share
// an event loop with the server being measured.
import { type ChildProcess, fork } from "node:child_process";

interface Answer {
  id: number;
  result?: unknown;
  error?: string;
}

/** Children still running: killed if the benchmark itself dies, so no simulator or server is left behind. */
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill();
});

export class Child {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(private readonly process: ChildProcess) {
    process.on("message", (message: Answer) => {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result);
    });
    running.add(process);
    process.on("exit", (code) => {
      running.delete(process);
      for (const { reject } of this.waiting.values()) reject(new Error(`benchmark child exited with code ${code}`));
      this.waiting.clear();
    });
  }

  /** Forks `entry` (a .ts file is run through tsx) and waits for its "ready" answer. */
  static async start<T>(entry: URL, options: unknown): Promise<{ child: Child; ready: T }> {
    const execArgv = entry.pathname.endsWith(".ts") ? ["--import", "tsx"] : [];
    const process = fork(entry, [JSON.stringify(options)], { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const child = new Child(process);
    const ready = (await child.call("ready")) as T;
    return { child, ready };
  }

  call(command: string, args?: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (!this.process.connected) {
        reject(new Error(`benchmark child is gone (exit code ${this.process.exitCode})`));
        return;
      }
      this.waiting.set(id, { resolve, reject });
      this.process.send({ id, command, args });
    });
  }

  /** Asks the child to clean up (bounded), then ends it. */
  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise((resolve) => this.process.once("exit", resolve));
    await Promise.race([this.call("close").catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 10_000))]);
    this.process.kill();
    await exited;
  }
}

type Handler = (args: never) => unknown;

/** The child side: answers each command with its handler's (awaited) result. "ready" is answered by `ready`. */
export function serveCommands(handlers: Record<string, Handler>): void {
  process.on("message", async (message: { id: number; command: string; args: never }) => {
    const handler = handlers[message.command];
    try {
      if (handler === undefined) throw new Error(`unknown command ${message.command}`);
      process.send?.({ id: message.id, result: await handler(message.args) });
    } catch (error) {
      process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) });
    }
    if (message.command === "close") process.disconnect();
  });
}

export function childOptions<T>(): T {
  return JSON.parse(process.argv[2] ?? "{}") as T;
}
