// A statistics worker that answers the first job (id 0) 250 ms late, with a failure, and never answers another:
// an answer still on its way when the worker is taken as stuck and replaced.
import { setTimeout } from "node:timers";
import { parentPort } from "node:worker_threads";

parentPort?.on("message", (request) => {
  if (request.id === 0) setTimeout(() => parentPort?.postMessage({ id: 0, ok: false, error: { message: "late answer" } }), 250);
});
