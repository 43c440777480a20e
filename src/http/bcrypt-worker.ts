// bcrypt compares off the main thread. bcryptjs' "async" compare still runs in 100 ms slices on the event loop,
// which would stall scrapes, probes and the poller's timers for that long; a worker thread keeps them all running.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

// Plain CommonJS so it runs as is under tsx, vitest and the built dist/ alike.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const bcrypt = require(workerData.bcryptPath);
parentPort.on("message", ({ id, password, hash }) => {
  let ok = false;
  try { ok = bcrypt.compareSync(password, hash); } catch { ok = false; }
  parentPort.postMessage({ id, ok });
});
`;

interface Pending {
  resolve: (ok: boolean) => void;
  reject: (error: Error) => void;
}

/** One lazily started worker; requests are answered in order. Idle, it does not keep the process alive. */
export class BcryptWorker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  compare(password: string, hash: string): Promise<boolean> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, password, hash });
    });
  }

  /** Stops the worker; pending compares fail. The next compare starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    const bcryptPath = createRequire(import.meta.url).resolve("bcryptjs");
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcryptPath } });
    worker.unref();
    worker.on("message", ({ id, ok }: { id: number; ok: boolean }) => {
      this.pending.get(id)?.resolve(ok);
      this.pending.delete(id);
      if (this.pending.size === 0) worker.unref();
    });
    const failAll = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    };
    worker.on("error", (error) => failAll(new Error(`bcrypt worker failed: ${error.message}`)));
    worker.on("exit", (code) => failAll(new Error(`bcrypt worker exited with code ${code}`)));
    return worker;
  }
}

/** Shared by every guard, so a reload that builds a new guard does not leave a worker behind. */
export const sharedBcryptWorker = new BcryptWorker();
