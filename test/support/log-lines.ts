// A pino logger whose JSON lines a unit test reads back.
import { Writable } from "node:stream";
import pino, { type Logger } from "pino";

export interface LoggedLine {
  msg: string;
  [field: string]: unknown;
}

export function logLines(level = "warn"): { lines: LoggedLine[]; logger: Logger } {
  const lines: LoggedLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString("utf8")) as LoggedLine);
      done();
    },
  });
  return { lines, logger: pino({ level }, stream) };
}

/** pino writes asynchronously: lets the lines written so far arrive. */
export const flushLog = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
