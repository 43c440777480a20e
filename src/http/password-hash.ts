// Makes basic_auth_users hashes without htpasswd: `brightpattern-exporter hash-password` reads the password from stdin
// (never from the command line, where shell history and `ps` would keep it).
import bcrypt from "bcryptjs";
import { BCRYPT_MAX_PASSWORD_BYTES as MAX_PASSWORD_BYTES } from "./basic-auth.js";

export const DEFAULT_HASH_COST = 10;

/** A $2b$ bcrypt hash of the password. Refuses what the basic auth guard would refuse anyway. */
export async function hashPassword(password: string, cost: number = DEFAULT_HASH_COST): Promise<string> {
  if (password === "") throw new Error("the password is empty");
  if (Buffer.byteLength(password, "utf8") > MAX_PASSWORD_BYTES) {
    throw new Error(`the password is longer than ${MAX_PASSWORD_BYTES} bytes, the most bcrypt reads`);
  }
  if (!Number.isInteger(cost) || cost < 4 || cost > 31) throw new Error("the cost must be a whole number from 4 to 31");
  return bcrypt.hash(password, cost);
}

/** The first line of a stream (a pipe, or a terminal line), without its line ending. */
export async function readFirstLine(input: AsyncIterable<Buffer | string>): Promise<string> {
  let text = "";
  for await (const chunk of input) {
    text += chunk.toString();
    if (text.includes("\n")) break;
  }
  return text.split(/\r?\n/, 1)[0] ?? "";
}
