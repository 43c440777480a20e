import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";

/** How the schema reaches files named in the config (injectable for tests). */
export interface FileAccess {
  /** Absolute path of a config-relative path. */
  resolve(path: string): string;
  /** File content, or the OS reason it could not be read. */
  read(absolutePath: string): Promise<{ text: string } | { reason: string }>;
}

export function fileAccess(baseDir: string): FileAccess {
  return {
    resolve: (path) => (isAbsolute(path) ? path : resolve(baseDir, path)),
    read: async (absolutePath) => {
      try {
        return { text: await readFile(absolutePath, "utf8") };
      } catch (error) {
        return { reason: osReason(error) };
      }
    },
  };
}

/** "ENOENT: no such file or directory, open '/x'" → "ENOENT: no such file or directory". */
export function osReason(error: unknown): string {
  if (error instanceof Error) return error.message.replace(/, \w+ '.*'$/s, "");
  return String(error);
}

/** Secret files usually end with a newline that is not part of the secret. */
export function stripTrailingNewlines(text: string): string {
  return text.replace(/[\r\n]+$/, "");
}
