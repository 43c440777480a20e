// `brightpattern-exporter hash-password`: reads a password from stdin (never from the command line, where
// shell history and `ps` would keep it) and prints its bcrypt hash for the web config's basic_auth_users.
import { DEFAULT_HASH_COST, hashPassword, readFirstLine } from "../http/password-hash.js";
import { type CliValues, intOption } from "./options.js";

export async function hashPasswordCommand(values: CliValues, input: AsyncIterable<Buffer | string> = process.stdin): Promise<number> {
  const cost = intOption(values, "cost", DEFAULT_HASH_COST, 4, 31);
  process.stdout.write(`${await hashPassword(await readFirstLine(input), cost)}\n`);
  return 0;
}
