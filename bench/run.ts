// npm run bench [-- --sizes 1k,10k,100k,250k] [--quick] [--from-source] [--interval 1000] [--out bench/results/x.json]
// npm run bench -- --scenario tenants [--tenants 1000x1000,200x500] [--interval 5000] [--window 60] (bench/tenants.ts)
// Prints the tables and writes the full result as JSON under bench/results/ (git-ignored).
import { mkdir, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { parseSize } from "./config.js";
import { runBenchmark } from "./harness.js";
import { formatReport } from "./report.js";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1k,10k,100k,250k" },
    quick: { type: "boolean", default: false },
    "from-source": { type: "boolean", default: false },
    interval: { type: "string", default: "1000" },
    out: { type: "string" },
    scenario: { type: "string", default: "series" },
    tenants: { type: "string", default: "1000x1000,200x500" },
    window: { type: "string", default: "60" },
  },
});
if (values.scenario === "tenants") {
  const { runTenantsCommand } = await import("./tenants.js");
  const interval = process.argv.includes("--interval") ? Number(values.interval) : 5000;
  const results = await runTenantsCommand(values.tenants, interval, Number(values.window), (line) => console.error(`[bench] ${line}`));
  const out = values.out ?? `bench/results/tenants-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
  await mkdir(new URL("./results/", import.meta.url), { recursive: true });
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  console.error(`[bench] result written to ${out}`);
  process.exit(0);
}
if (values.scenario !== "series") throw new Error(`--scenario: expected series or tenants, got "${values.scenario}"`);
const sizes = values.sizes.split(",").filter((s) => s.trim() !== "");
sizes.forEach(parseSize); // a bad size fails before anything starts
const intervalMs = Number(values.interval);
if (!Number.isInteger(intervalMs) || intervalMs < 100) throw new Error(`--interval: "${values.interval}" is not a whole number of ms >= 100`);

const result = await runBenchmark({ sizes, quick: values.quick, fromSource: values["from-source"], intervalMs, log: (line) => console.error(`[bench] ${line}`) });
console.log(formatReport(result));
const out = values.out ?? `bench/results/bench-${result.startedAt.replace(/[:.]/g, "-")}.json`;
await mkdir(new URL("./results/", import.meta.url), { recursive: true });
await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
console.error(`[bench] result written to ${out}`);
