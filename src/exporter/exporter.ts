// The running exporter, as wiring only: one upstream pipeline (client + poller) feeding the snapshot that
// the HTTP server serves, plus the self-metrics. Owns start, reload and stop; `cli.ts` only wires signals.
// What a reload redoes is decided in reload-policy.ts; what the poller reports, in poller-metrics.ts.
import type { Logger } from "pino";
import { Snapshot } from "../exposition/snapshot.js";
import { StatisticsWorker } from "../exposition/worker.js";
import { type ExporterStatus, type ReloadOutcome, type RunningServer, createApp, listen } from "../http/server.js";
import { Poller } from "../poller.js";
import { StatsApiClient } from "../statsapi/client.js";
import { buildSubscriptionRequest } from "../statsapi/subscription-request.js";
import { VERSION } from "../version.js";
import { type CheckedConfig, checkConfig, loadCheckedConfig } from "./checked-config.js";
import { pollerMetrics } from "./poller-metrics.js";
import { planReload } from "./reload-policy.js";
import { RenderFindingsLog } from "./render-findings.js";
import { type SelfMetrics, createSelfMetrics } from "./self-metrics.js";

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

function configLoaded(self: SelfMetrics, ok: boolean): void {
  self.configReloadSuccessful.set(ok ? 1 : 0);
  if (ok) self.configReloadSuccessTimestamp.set(Date.now() / 1000);
  self.invalidate();
}

export async function startExporter(options: ExporterOptions): Promise<Exporter> {
  const { logger } = options;
  const self = createSelfMetrics({ namespace: options.config.metrics.namespace, version: VERSION });
  const metrics = pollerMetrics(self);
  const snapshot = new Snapshot();
  const worker = new StatisticsWorker();
  const findings = new RenderFindingsLog(logger);
  let pipeline: Pipeline;

  const startPipeline = (checked: CheckedConfig): Pipeline => {
    const client = new StatsApiClient({ upstream: checked.config.upstream, logger });
    const poller = new Poller({
      upstream: client,
      subscription: buildSubscriptionRequest(checked.config),
      sink: async (body) => {
        const processed = await worker.process(body, pipeline.checked.plan);
        snapshot.swap(processed);
        findings.observe(processed);
        return processed;
      },
      dropStatistics: () => snapshot.drop(),
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
      series: snapshot.series,
      lastPollAt: poll.lastPollAt,
      lastSuccessAt: poll.lastSuccessAt,
      lastError: poll.lastError,
    };
  };

  let stopped: Promise<void> | undefined;
  let reloading: Promise<ReloadOutcome> = Promise.resolve({ ok: true, message: "" });
  const reloadFailed = (error: unknown): ReloadOutcome => {
    configLoaded(self, false);
    const message = error instanceof Error ? error.message : String(error);
    logger.error({ config: options.configPath, problems: message }, "config reload failed: keeping the running config");
    return { ok: false, message };
  };
  const reloadOnce = async (): Promise<ReloadOutcome> => {
    if (options.configPath === undefined) return { ok: false, message: "no config file to reload" };
    // A reload queued behind stop() would start a new poll loop after the exporter stopped.
    if (stopped) return { ok: false, message: "the exporter is stopping" };
    let next = await loadCheckedConfig(options.configPath, options.env);
    const plan = planReload(pipeline.checked.config, next.config);
    if (plan.needsRestart) logger.warn("changes of web.* and metrics.namespace take effect at the next restart");
    if (plan.keepNamespace !== undefined) {
      next = await checkConfig({ ...next.config, metrics: { ...next.config.metrics, namespace: plan.keepNamespace } }, options.configPath);
    }
    if (plan.newPipeline) {
      await stopPipeline(pipeline);
      pipeline = startPipeline(next);
    } else {
      pipeline.checked = next;
      if (plan.newSubscription) pipeline.poller.replaceSubscription(buildSubscriptionRequest(next.config));
    }
    configLoaded(self, true);
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
    statistics: () => snapshot.statistics,
    selfMetrics: () => self.render(),
    status,
    reload,
    logger,
    ...(options.web.guard && { guard: options.web.guard }),
    ...(options.web.headers && { headers: options.web.headers }),
  });
  if (options.web.guard && !options.web.tls) logger.warn("basic auth without TLS: passwords cross the network readable");
  const server: RunningServer = await listen(app, options.listenAddress ?? options.config.web.listen_address, options.web.tls);
  configLoaded(self, true);
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
        await worker.close();
        logger.info("exporter stopped");
      })();
      return stopped;
    },
  };
}
