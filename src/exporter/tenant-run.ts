// One tenant's pipeline: its own client (session, cookies, token), poll loop, snapshot and self-metrics.
// Tenants share only the statistics worker thread; a tenant whose upstream fails, hangs or sends a huge
// body holds up its own loop, never another's (each loop awaits only its own requests).
import type { Logger } from "pino";
import { Snapshot } from "../exposition/snapshot.js";
import type { StatisticsWorker } from "../exposition/worker.js";
import { Poller } from "../poller.js";
import { StatsApiClient } from "../statsapi/client.js";
import { buildSubscriptionRequest } from "../statsapi/subscription-request.js";
import type { CheckedConfig } from "./checked-config.js";
import { pollerMetrics } from "./poller-metrics.js";
import { PercentScaleCheck } from "./percent-scale.js";
import type { RenderFindingsLog } from "./render-findings.js";
import type { TenantSelfMetrics } from "./self-metrics.js";

export interface TenantRun {
  /** The tenant label; undefined for a single-tenant config. */
  name: string | undefined;
  checked: CheckedConfig;
  client: StatsApiClient;
  poller: Poller;
  snapshot: Snapshot;
  self: TenantSelfMetrics;
  /** Until the first poll: polls of many tenants are spread over the interval, not fired together. */
  startTimer: NodeJS.Timeout | undefined;
}

export interface TenantRunOptions {
  name: string | undefined;
  checked: CheckedConfig;
  self: TenantSelfMetrics;
  /** Kept across pipelines of one tenant (a reload that changes its upstream keeps its snapshot). */
  snapshot?: Snapshot;
  worker: StatisticsWorker;
  findings: RenderFindingsLog;
  logger: Logger;
  startDelayMs: number;
  /** Called after every swap or drop of the snapshot. */
  changed?: () => void;
}

export function startTenantRun(options: TenantRunOptions): TenantRun {
  const { name, checked, worker, findings, logger } = options;
  const snapshot = options.snapshot ?? new Snapshot();
  const percentScale = new PercentScaleCheck(logger);
  const client = new StatsApiClient({ upstream: checked.config.upstream, logger });
  const run: TenantRun = {
    name,
    checked,
    client,
    snapshot,
    self: options.self,
    startTimer: undefined,
    poller: new Poller({
      upstream: client,
      subscription: buildSubscriptionRequest(checked.config),
      sink: async (body) => {
        const processed = await worker.process(body, run.checked.plan, name);
        snapshot.swap(processed);
        options.changed?.();
        findings.observe(processed);
        for (const { appId, grid, rows, limitReached } of processed.gridRows) {
          options.self.gridRows.set({ app_id: appId, grid }, rows);
          options.self.gridRowLimitReached.set({ app_id: appId, grid }, limitReached ? 1 : 0);
        }
        options.self.percentScaleSuspect.set(percentScale.observe(processed.percentChecks));
        options.self.statisticSeriesCut.set(processed.seriesCut);
        options.self.gridRowsCut.set(processed.rowsCut);
        return processed;
      },
      dropStatistics: () => {
        snapshot.drop();
        options.changed?.();
      },
      metrics: pollerMetrics(options.self),
      poll: checked.config.poll,
      logger,
      // Deleting the subscription gets at most two request timeouts, in-flight poll included.
      stopTimeoutMs: Math.min(2 * checked.config.upstream.timeout_ms, 20_000),
    }),
  };
  if (options.startDelayMs <= 0) run.poller.start();
  else {
    run.startTimer = setTimeout(() => run.poller.start(), options.startDelayMs);
    run.startTimer.unref();
  }
  return run;
}

export async function stopTenantRun(run: TenantRun): Promise<void> {
  clearTimeout(run.startTimer);
  await run.poller.stop();
  await run.client.close();
}

/** Where tenant `index` of `count` starts polling within the interval: evenly apart. */
export function startOffset(index: number, count: number, intervalMs: number): number {
  return count <= 1 ? 0 : Math.floor((index * intervalMs) / count);
}
