// The running exporter: one upstream pipeline (client + poller) feeding the statistics that the HTTP
// server serves, plus the self-metrics. Owns start, reload and stop; `cli.ts` only wires signals to it.
import { isDeepStrictEqual } from "node:util";
import type { Logger } from "pino";
import { type CheckedConfig, checkConfig, loadCheckedConfig } from "./checked-config.js";
import type { Config } from "./config/types.js";
import { type SelfMetrics, createSelfMetrics } from "./metrics/self-metrics.js";
import { Poller, type PollerMetrics } from "./poller.js";
import { EMPTY_STATISTICS, type PreparedStatistics } from "./scrape-body.js";
import { type ExporterStatus, type ReloadOutcome, type RunningServer, createApp, listen } from "./server.js";
import { processDataBody } from "./statistics-pipeline.js";
import { StatsApiClient } from "./statsapi/client.js";
import { buildSubscriptionRequest } from "./subscription.js";
import { VERSION } from "./version.js";

export interface ExporterOptions extends CheckedConfig {
  logger: Logger;
  /** The file to re-read on reload; without it reload is refused. */
  configPath?: string;
  /** Overrides config.web.listen_address. */
  listenAddress?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Exporter {
  /** http(s)://host:port of the web server. */
  url: string;
  status(): ExporterStatus;
  /** Re-reads the config file; a bad one is rejected and the running config kept. */
  reload(): Promise<ReloadOutcome>;
  /** Deletes the upstream subscription (bounded), closes the server. Never throws. */
  stop(): Promise<void>;
}

/** One upstream connection and its poll loop, for one config. Replaced whole when upstream settings change. */
interface Pipeline {
  checked: CheckedConfig;
  client: StatsApiClient;
  poller: Poller;
}

function pollerMetrics(self: SelfMetrics): PollerMetrics {
  const handlers: PollerMetrics = {
    setState: (state) => self.setPollerState(state),
    setUp: (up) => self.up.set(up ? 1 : 0),
    loginSucceeded: () => self.logins.inc({ result: "success" }),
    loginFailed: () => self.logins.inc({ result: "failure" }),
    subscriptionCreated: () => self.subscriptionsCreated.inc(),
    error: (reason) => self.errors.inc({ reason }),
    pollDuration: (seconds) => self.pollDuration.observe(seconds),
    dataServed: (atMs, series, invalidValues) => {
      self.lastSuccessTimestamp.set(atMs / 1000);
      self.statisticSeries.set(series);
      if (invalidValues > 0) self.invalidValues.inc(invalidValues);
    },
    dataDropped: () => self.statisticSeries.set(0),
  };
  // Every change makes the next scrape render the self-metrics afresh.
  return Object.fromEntries(
    Object.entries(handlers).map(([name, handler]: [string, (...args: never[]) => void]) => [
      name,
      (...args: never[]) => {
        handler(...args);
        self.invalidate();
      },
    ]),
  ) as unknown as PollerMetrics;
}

/** Upstream and poll settings need a new client and poll loop; subscription and metric changes do not. */
function needsNewPipeline(before: Config, after: Config): boolean {
  return !isDeepStrictEqual(before.upstream, after.upstream) || !isDeepStrictEqual(before.poll, after.poll);
}

export async function startExporter(options: ExporterOptions): Promise<Exporter> {
  const { logger } = options;
  const self = createSelfMetrics({ namespace: options.config.metrics.namespace, version: VERSION });
  const metrics = pollerMetrics(self);
  const configLoaded = () => {
    self.configReloadSuccessful.set(1);
    self.configReloadSuccessTimestamp.set(Date.now() / 1000);
    self.invalidate();
  };
  let statistics: PreparedStatistics = EMPTY_STATISTICS;
  let series = 0;
  let hadInvalidValues = false;
  let pipeline: Pipeline;

  const startPipeline = (checked: CheckedConfig): Pipeline => {
    const client = new StatsApiClient({ upstream: checked.config.upstream, logger });
    const poller = new Poller({
      upstream: client,
      subscription: buildSubscriptionRequest(checked.config),
      sink: async (body) => {
        const processed = await processDataBody(body, pipeline.checked.plan);
        statistics = processed.statistics;
        series = processed.series;
        // Logged when it starts, not every poll; brightpattern_invalid_values_total counts every one.
        if (processed.invalidValues > 0 && !hadInvalidValues) {
          logger.warn({ invalid_values: processed.invalidValues }, "some upstream values could not be parsed and were skipped: check the columns' type");
        }
        hadInvalidValues = processed.invalidValues > 0;
        return processed;
      },
      dropStatistics: () => {
        statistics = EMPTY_STATISTICS;
        series = 0;
      },
      metrics,
      poll: checked.config.poll,
      logger,
      // Deleting the subscription gets at most two request timeouts, in-flight poll included.
      stopTimeoutMs: Math.min(2 * checked.config.upstream.timeout_ms, 20_000),
    });
    poller.start();
    return { checked, client, poller };
  };

  const stopPipeline = async (old: Pipeline) => {
    await old.poller.stop();
    await old.client.close();
  };

  const status = (): ExporterStatus => {
    const { config } = pipeline.checked;
    const poll = pipeline.poller.status();
    return {
      version: VERSION,
      upstreamUrl: config.upstream.url,
      tenantUrl: config.upstream.tenant_url,
      authMethod: config.upstream.auth.method,
      state: poll.state,
      ready: poll.fresh,
      series,
      lastPollAt: poll.lastPollAt,
      lastSuccessAt: poll.lastSuccessAt,
      lastError: poll.lastError,
    };
  };

  let stopped: Promise<void> | undefined;
  let reloading: Promise<ReloadOutcome> = Promise.resolve({ ok: true, message: "" });
  const reloadFailed = (error: unknown): ReloadOutcome => {
    self.configReloadSuccessful.set(0);
    self.invalidate();
    const message = error instanceof Error ? error.message : String(error);
    logger.error({ config: options.configPath, problems: message }, "config reload failed: keeping the running config");
    return { ok: false, message };
  };
  const reloadOnce = async (): Promise<ReloadOutcome> => {
    if (options.configPath === undefined) return { ok: false, message: "no config file to reload" };
    // A reload queued behind stop() would start a new poll loop after the exporter stopped.
    if (stopped) return { ok: false, message: "the exporter is stopping" };
    let next: CheckedConfig;
    try {
      next = await loadCheckedConfig(options.configPath, options.env);
    } catch (error) {
      return reloadFailed(error);
    }
    const before = pipeline.checked.config;
    if (!isDeepStrictEqual(before.web, next.config.web) || before.metrics.namespace !== next.config.metrics.namespace) {
      logger.warn("changes of web.* and metrics.namespace take effect at the next restart");
    }
    if (before.metrics.namespace !== next.config.metrics.namespace) {
      // The self-metrics keep their namespace until a restart; the statistic families must match them.
      try {
        next = await checkConfig({ ...next.config, metrics: { ...next.config.metrics, namespace: before.metrics.namespace } }, options.configPath);
      } catch (error) {
        return reloadFailed(error);
      }
    }
    if (needsNewPipeline(before, next.config)) {
      const old = pipeline;
      await stopPipeline(old);
      pipeline = startPipeline(next);
    } else {
      pipeline.checked = next;
      if (!isDeepStrictEqual(before.subscription, next.config.subscription)) {
        pipeline.poller.replaceSubscription(buildSubscriptionRequest(next.config));
      }
    }
    configLoaded();
    logger.info({ config: options.configPath }, "config reloaded");
    return { ok: true, message: "config reloaded" };
  };

  const reload = (): Promise<ReloadOutcome> => {
    // Never rejects: SIGHUP fires and forgets, and one failure must not block every later reload.
    reloading = reloading.then(reloadOnce).catch(reloadFailed);
    return reloading;
  };

  const app = createApp({
    metricsPath: options.config.web.metrics_path,
    statistics: () => statistics,
    selfMetrics: () => self.render(),
    status,
    reload,
    logger,
    ...(options.web.guard && { guard: options.web.guard }),
    ...(options.web.headers && { headers: options.web.headers }),
  });
  if (options.web.guard && !options.web.tls) logger.warn("basic auth without TLS: passwords cross the network readable");
  const server: RunningServer = await listen(app, options.listenAddress ?? options.config.web.listen_address, options.web.tls);
  configLoaded();
  pipeline = startPipeline(options);

  return {
    url: server.url,
    status,
    reload,
    stop: () => {
      stopped ??= (async () => {
        await reloading;
        await stopPipeline(pipeline);
        await server.close();
        logger.info("exporter stopped");
      })();
      return stopped;
    },
  };
}
