// The tests Stryker runs against each mutant (`npm run mutate`, scripts/mutate.ts). One config for both modes,
// chosen by MUTATE_TESTS: Stryker's vitest runner runs every project of the config it is given.
import { defineConfig } from "vitest/config";

const POLLER = ["test/unit/poller.test.ts", "test/integration/lifecycle/**/*.test.ts"];

export default defineConfig({
  test: {
    include: process.env.MUTATE_TESTS === "poller" ? POLLER : ["test/unit/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
