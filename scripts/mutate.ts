// Mutation testing with Stryker: how well the tests pin the pure core and the poller down.
//
//   npm run mutate                          the pure modules against their unit tests
//   npm run mutate -- poller                src/poller.ts against its unit tests and the lifecycle integration tests
//   npm run mutate -- src/metrics/values.ts one file (or a few) against the same unit tests
//   npm run mutate -- poller --concurrency 2
//   npm run mutate -- --incremental         reuse the results of the last run of that mode for code and tests
//                                           that did not change (reports/mutation/<mode>-incremental.json)
//
// Reports: the clear-text table on stdout, reports/mutation/<mode>.html and .json (gitignored).
import { parseArgs } from "node:util";
import { Stryker } from "@stryker-mutator/core";
import type { PartialStrykerOptions } from "@stryker-mutator/api/core";

/** The pure modules: no I/O, no clock; everything they do is visible in their return values. */
export const PURE_MODULES = [
  "src/config/**/*.ts",
  "src/metrics/**/*.ts",
  "src/statsapi/status.ts",
  "src/statsapi/subscription-data.ts",
  "src/statsapi/subscription-request.ts",
  "src/document/**/*.ts",
  "src/exporter/coalesce.ts",
  "src/exporter/reload-answer.ts",
  "src/exporter/reload-policy.ts",
  "src/exporter/shard.ts",
];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { concurrency: { type: "string", default: "2" }, incremental: { type: "boolean", default: false } },
});

const poller = positionals[0] === "poller";
const mutate = poller ? ["src/poller.ts"] : positionals.length > 0 ? positionals : PURE_MODULES;
// Names the reports: "pure", "poller", or the files given ("src-metrics-values-ts").
const mode = poller ? "poller" : positionals.length > 0 ? positionals.join("-").replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "") : "pure";

// The mutants run in child processes that inherit this environment: vitest.mutate.config.ts picks its tests
// from MUTATE_TESTS, and a zone other than UTC tells zone-less times parsed as UTC from ones parsed as local.
process.env.MUTATE_TESTS = poller ? "poller" : "unit";
process.env.TZ = "Europe/Berlin";

const options: PartialStrykerOptions = {
  mutate,
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.mutate.config.ts", related: false },
  coverageAnalysis: "perTest",
  // The machine is shared: 2 runners at most unless asked.
  concurrency: Number(values.concurrency),
  // The lifecycle tests start real servers and take seconds; a mutant that hangs them is killed by the timeout.
  timeoutMS: poller ? 30_000 : 10_000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: `reports/mutation/${mode}.html` },
  jsonReporter: { fileName: `reports/mutation/${mode}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportTests: false, reportScoreTable: true, reportMutants: true },
  incremental: values.incremental,
  incrementalFile: `reports/mutation/${mode}-incremental.json`,
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
  thresholds: { high: 90, low: 85, break: null },
};

const results = await new Stryker(options).runMutationTest();
console.log(`${results.length} mutants (${mode}: ${mutate.join(" ")})`);
