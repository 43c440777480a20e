// The tests Stryker runs against each mutant (`npm run mutate`, scripts/mutate.ts). One config for both modes,
// chosen by MUTATE_TESTS: Stryker's vitest runner runs every project of the config it is given.
import { defineConfig } from "vitest/config";

// The unit tests of the pure modules (and the self-metric names): a mutant of a module-level constant
// (a regex, the catalogue) runs all of them, so the list stays to the tests that can kill one.
const PURE = ["test/unit/{config,metrics,statsapi,document}/**/*.test.ts", "test/unit/exporter/{self-metrics,coalesce,reload-answer,reload-policy,shard}.test.ts"];
const POLLER = ["test/unit/poller.test.ts", "test/integration/lifecycle/**/*.test.ts"];

export default defineConfig({
  test: {
    include: process.env.MUTATE_TESTS === "poller" ? POLLER : PURE,
    testTimeout: 30_000,
  },
});
