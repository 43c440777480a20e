// pino JSON lines on stderr by default, or human-readable lines for a terminal (stdout is for command output).
// Secrets are never passed to the logger; the redaction below is a second line of defence.
import { pino, type Logger, type LevelWithSilent } from "pino";
import pretty from "pino-pretty";
import { isStatsApiError } from "./statsapi/errors.js";

export type LogFormat = "json" | "pretty";
export const LOG_LEVELS: readonly LevelWithSilent[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

const SECRET_KEYS = ["password", "client_secret", "token", "access_token", "cookie", "authorization"];
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export function createLogger(options: { level: LevelWithSilent; format: LogFormat; destination?: NodeJS.WritableStream }): Logger {
  const settings = { level: options.level, base: undefined, redact: { paths: REDACT_PATHS, censor: "[redacted]" } };
  if (options.format === "pretty") {
    return pino(settings, pretty({ sync: true, destination: options.destination ?? process.stderr, translateTime: "SYS:standard" }));
  }
  return pino(settings, options.destination ?? pino.destination({ fd: 2, sync: false }));
}

/** An error as a log field: name, code, status and message only (never request bodies or headers). */
export function safeError(error: unknown): Record<string, unknown> {
  if (isStatsApiError(error)) {
    return { name: error.name, code: error.code, status: error.status, message: error.message };
  }
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { message: String(error) };
}
