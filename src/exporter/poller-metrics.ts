// The poller's reports (PollerMetrics) written to the self-metrics. Every change makes the next scrape
// render the self-metrics afresh.
import type { PollerMetrics, PollerState } from "../poller.js";
import type { ErrorReason } from "../statsapi/errors.js";
import type { TenantSelfMetrics } from "./self-metrics.js";

export function pollerMetrics(self: TenantSelfMetrics): PollerMetrics {
  const changes =
    <A extends unknown[]>(update: (...args: A) => void) =>
    (...args: A): void => {
      update(...args);
      self.invalidate();
    };
  return {
    setState: changes((state: PollerState) => self.setPollerState(state)),
    setUp: changes((up: boolean) => self.up.set(up ? 1 : 0)),
    loginSucceeded: changes(() => self.logins.inc({ result: "success" })),
    loginFailed: changes(() => self.logins.inc({ result: "failure" })),
    subscriptionCreated: changes(() => self.subscriptionsCreated.inc()),
    error: changes((reason: ErrorReason) => self.errors.inc({ reason })),
    pollDuration: changes((seconds: number) => self.pollDuration.observe(seconds)),
    dataServed: changes((atMs: number, series: number, invalidValues: number) => {
      self.lastSuccessTimestamp.set(atMs / 1000);
      self.statisticSeries.set(series);
      if (invalidValues > 0) self.invalidValues.inc(invalidValues);
    }),
    dataDropped: changes(() => self.statisticSeries.set(0)),
  };
}
