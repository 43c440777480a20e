// A statistics worker that takes every job and never answers: what a stuck worker looks like from outside.
import { parentPort } from "node:worker_threads";

parentPort?.on("message", () => undefined);
