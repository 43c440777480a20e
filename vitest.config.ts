import { configDefaults, defineConfig } from "vitest/config";

const unit = ["test/unit/**/*.test.ts"];
// Checks that the unit-tz project really runs in its zone (only there).
const zoneCheck = "test/unit/time-zone.test.ts";

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: unit, exclude: [...configDefaults.exclude, zoneCheck] } },
      // The unit tests again in a zone other than UTC (CI machines run in UTC): a time without a zone read as
      // local time instead of UTC is an hour off here. Forks, not threads: a worker thread ignores TZ.
      { test: { name: "unit-tz", include: unit, env: { TZ: "Europe/Berlin" }, pool: "forks" } },
      { test: { name: "integration", include: ["test/integration/**/*.test.ts"], testTimeout: 30_000 } },
      { test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 } },
    ],
  },
});
