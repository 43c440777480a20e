// Config files for the reload tests: config.example.yaml made fast and pointed at a test upstream.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT } from "../../support/cli.js";

/** config.example.yaml pointed at `url`, polling every 100 ms, with `edit` applied to its text. */
export async function exampleYaml(url: string, edit: (text: string) => string = (text) => text): Promise<string> {
  const example = await readFile(join(ROOT, "config.example.yaml"), "utf8");
  const fast = replaceAll(example, [
    ["url: http://127.0.0.1:8088", `url: ${url}`],
    ["timeout: 5s", "timeout: 2s"],
    ["interval: 3s", "interval: 100ms"],
    ["max_backoff: 60s", "max_backoff: 1s"],
    ['listen_address: ":9737"', 'listen_address: "127.0.0.1:0"\n  enable_lifecycle: true'],
  ]);
  return edit(fast);
}

/** Replaces each `from` (which must occur) by `to`. */
export function replaceAll(text: string, pairs: [string, string][]): string {
  let out = text;
  for (const [from, to] of pairs) {
    if (!out.includes(from)) throw new Error(`config template lacks ${JSON.stringify(from)}`);
    out = out.replace(from, to);
  }
  return out;
}
