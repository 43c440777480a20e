// Runs Prometheus's promtool (Debian's `prometheus` package; CI installs it) and returns what it said.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

export const PROMTOOL = process.env.PROMTOOL ?? "promtool";
export const PROMETHEUS_DIR = fileURLToPath(new URL("../../../prometheus/", import.meta.url));

export interface PromtoolResult {
  code: number;
  /** stdout and stderr together: promtool splits its findings between them. */
  output: string;
}

export function promtool(args: readonly string[], input?: string): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(PROMTOOL, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") {
        reject(new Error(`could not run ${PROMTOOL} ${args.join(" ")}: ${error.message} (install Debian's "prometheus" package)`));
        return;
      }
      resolve({ code: error ? Number(error.code) : 0, output: `${stdout}${stderr}` });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
