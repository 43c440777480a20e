// Command-line options shared by the sub-commands. No side effects: safe to import anywhere.
import { parseArgs } from "node:util";

const OPTIONS = {
  config: { type: "string", short: "c" },
  listen: { type: "string" },
  "log-level": { type: "string", default: "info" },
  "log-format": { type: "string", default: "json" },
  version: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
  "agent-can-select": { type: "boolean" },
  inbound: { type: "boolean" },
  outbound: { type: "boolean" },
  preview: { type: "boolean" },
  host: { type: "string" },
  port: { type: "string" },
  "simulator-port": { type: "string" },
  agents: { type: "string" },
  tenants: { type: "string" },
  shard: { type: "string" },
  tenant: { type: "string" },
  services: { type: "string" },
  seed: { type: "string" },
  "session-login": { type: "string" },
  interval: { type: "string" },
  cost: { type: "string" },
} as const;

export type CliValues = ReturnType<typeof parseCli>["values"];

/** Bad flags or arguments: the CLI prints the usage and exits 2. */
export class UsageError extends Error {}

/** Node's parser messages, reworded: they quote with unbalanced quotes and suggest `--` for positionals. */
function usageMessage(error: Error & { code?: string }): string {
  const quoted = /'([^' ]+)/.exec(error.message)?.[1] ?? "";
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option "${quoted}"`;
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const name = /(--[\w-]+)/.exec(error.message)?.[1] ?? quoted;
    return error.message.includes("argument missing") ? `option "${name}" needs a value` : `option "${name}" takes no value`;
  }
  return error.message;
}

export function parseCli(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(usageMessage(error as Error));
  }
}

/** A whole number option within bounds, or the default. */
export function intOption(values: CliValues, name: keyof CliValues, fallback: number, min = 0, max = 65_535): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== "string" || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name}: expected a whole number from ${min} to ${max}, got "${String(raw)}"`);
  }
  return value;
}

