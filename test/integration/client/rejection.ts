// Test support: the StatsApiError a promise rejects with (fails the test when it resolves or throws something else).
import { type StatsApiError, isStatsApiError } from "../../../src/statsapi/errors.js";

export async function rejection(promise: Promise<unknown>): Promise<StatsApiError> {
  const outcome = await promise.then(
    (value: unknown) => ({ resolved: value }),
    (thrown: unknown) => ({ thrown }),
  );
  if (!("thrown" in outcome)) throw new Error(`expected a StatsApiError, but it resolved with ${JSON.stringify(outcome.resolved)}`);
  if (!isStatsApiError(outcome.thrown)) throw new Error(`expected a StatsApiError, got ${String(outcome.thrown)}`);
  return outcome.thrown;
}
