// The running exporter, as wiring only: one pipeline a tenant (tenant-run.ts: client + poller + snapshot)
// feeding what the HTTP server serves, plus the self-metrics. A single-tenant config is one pipeline without
// a tenant label, exactly as before tenants existed. Owns start, reload and stop; `cli.ts` only wires signals.
// What a reload redoes is decided in reload-policy.ts; which tenants this replica polls, in shard.ts.
import type { Logger } from "pino";
import type { MetricsConfig, WebConfig } from "../config/types.js";
import { combineStatistics, combineTexts } from "../exposition/combined.js";
import type { PreparedStatistics } from "../exposition/prepared-statistics.js";
import { StatisticsWorker } from "../exposition/worker.js";
import { type ExporterStatus, type ReloadOutcome, type RunningServer, type TenantStatus, createApp, listen } from "../http/server.js";
import { VERSION } from "../version.js";
import { type CheckedConfig, type CheckedFile, type CheckedTenant, checkConfig, loadCheckedConfigFile } from "./checked-config.js";
import { Coalescer } from "./coalesce.js";
import { reloadFailureAnswer } from "./reload-answer.js";
import { planReload, planSharedReload } from "./reload-policy.js";
import { buildSubscriptionRequest } from "../statsapi/subscription-request.js";
import { RenderFindingsLog } from "./render-findings.js";
import { type ProcessSelfMetrics, createProcessSelfMetrics, createSelfMetrics, createTenantSelfMetrics } from "./self-metrics.js";
import { type Shard, tenantsOfShard } from "./shard.js";
import { type TenantRun, startOffset, startTenantRun, stopTenantRun } from "./tenant-run.js";

interface ExporterCommon {
  logger: Logger;
  /** The file to re-read on reload; without it reload is refused. */
  configPath?: string;
  /** Overrides config.web.listen_address. */
  listenAddress?: string;
  env?: NodeJS.ProcessEnv;
  /** With tenants: poll only the tenants rendezvous hashing gives this shard. */
  shard?: Shard;
}

/** A checked single-tenant config (the form every release took), or a checked file of either form. */
export type ExporterOptions = ExporterCommon & ((CheckedConfig & { kind?: "single" }) | CheckedFile);

export interface Exporter {
  /** http(s)://host:port of the web server. */
  url: string;
  status(): ExporterStatus;
  /** Re-reads the config file; a bad one is rejected and the running config kept. */
  reload(): Promise<ReloadOutcome>;
  /** Deletes the upstream subscriptions (bounded), closes the server. Never throws. */
  stop(): Promise<void>;
}

function sharedOf(file: CheckedFile): { web: WebConfig; metrics: MetricsConfig } {
  return file.kind === "tenants" ? file.shared : { web: file.config.web, metrics: file.config.metrics };
}

function configLoaded(self: ProcessSelfMetrics, ok: boolean): void {
  self.configReloadSuccessful.set(ok ? 1 : 0);
  if (ok) self.configReloadSuccessTimestamp.set(Date.now() / 1000);
  self.invalidate();
}

function tenantStatus(run: TenantRun): TenantStatus {
  const { config } = run.checked;
  const poll = run.poller.status();
  return {
    name: run.name ?? "",
    upstreamUrl: config.upstream.url,
    tenantUrl: config.upstream.tenant_url,
    authMethod: config.upstream.auth.method,
    state: run.startTimer !== undefined && poll.lastPollAt === undefined ? "waiting to start" : poll.state,
    ready: poll.fresh,
    series: run.snapshot.series,
    lastPollAt: poll.lastPollAt,
    lastSuccessAt: poll.lastSuccessAt,
    lastError: poll.lastError,
  };
}

/** The running config's namespace kept for statistics (the self-metrics keep theirs until a restart). */
async function withNamespace(checked: CheckedConfig, namespace: string | undefined, fileName?: string): Promise<CheckedConfig> {
  if (namespace === undefined) return checked;
  return checkConfig({ ...checked.config, metrics: { ...checked.config.metrics, namespace } }, fileName);
}

export async function startExporter(options: ExporterOptions): Promise<Exporter> {
  const { logger } = options;
  const start: CheckedFile = options.kind === "tenants" ? options : { ...options, kind: "single" };
  const multi = start.kind === "tenants";
  const shared = sharedOf(start);
  const namespace = shared.metrics.namespace;
  // One registry without a tenant label for a single tenant; else process metrics plus one registry a tenant.
  const singleSelf = multi ? undefined : createSelfMetrics({ namespace, version: VERSION });
  const processSelf: ProcessSelfMetrics = singleSelf ?? createProcessSelfMetrics({ namespace, version: VERSION });
  const worker = new StatisticsWorker();
  const runs = new Map<string, TenantRun>();
  let statisticsVersion = 0;
  let running: CheckedFile = start;
  if (multi && options.shard) logger.info({ shard: `${options.shard.index}/${options.shard.count}` }, "polling this shard's tenants");
  if (!multi && options.shard) logger.warn("--shard applies to configs with tenants: this single-tenant config is polled whole");

  const tenantsOf = (file: CheckedFile): CheckedTenant[] =>
    file.kind === "tenants" ? tenantsOfShard(file.tenants, options.shard) : [];

  const startRun = (name: string | undefined, checked: CheckedConfig, startDelayMs: number, previous?: TenantRun): TenantRun => {
    const tenantLogger = name === undefined ? logger : logger.child({ tenant: name });
    const self = previous?.self ?? singleSelf ?? createTenantSelfMetrics({ namespace, tenant: name ?? "" });
    const run = startTenantRun({
      name,
      checked,
      self,
      ...(previous && { snapshot: previous.snapshot }),
      worker,
      findings: new RenderFindingsLog(tenantLogger),
      logger: tenantLogger,
      startDelayMs,
      changed: () => void statisticsVersion++,
    });
    runs.set(name ?? "", run);
    return run;
  };

  const startAll = (file: CheckedFile) => {
    if (file.kind === "single") {
      startRun(undefined, file, 0);
      return;
    }
    const mine = tenantsOf(file);
    mine.forEach((tenant, index) => startRun(tenant.name, tenant.checked, startOffset(index, mine.length, tenant.checked.config.poll.interval_ms)));
    logger.info({ tenants: mine.length, of: file.tenants.length }, "polling tenants");
  };

  const stopRun = async (run: TenantRun) => {
    await stopTenantRun(run);
  };

  // The combined statistics of every tenant, prepared once per change and shared by concurrent scrapes.
  let combined: { version: number; prepared: Promise<PreparedStatistics> } | undefined;
  const allStatistics = (): PreparedStatistics | Promise<PreparedStatistics> => {
    if (!multi) return runs.get("")!.snapshot.statistics;
    if (combined?.version !== statisticsVersion) {
      const texts = [...runs.values()].map((run) => run.snapshot.familyText);
      combined = { version: statisticsVersion, prepared: combineStatistics(texts) };
    }
    return combined.prepared;
  };

  const allSelfMetrics = async (): Promise<string> => {
    if (singleSelf) return singleSelf.render();
    return combineTexts([await processSelf.render(), ...(await Promise.all([...runs.values()].map((run) => run.self.render())))]);
  };

  const status = (): ExporterStatus => {
    const tenants = [...runs.values()].map(tenantStatus);
    if (!multi) return { version: VERSION, ...tenants[0]! };
    const states = new Map<string, number>();
    for (const tenant of tenants) states.set(tenant.state, (states.get(tenant.state) ?? 0) + 1);
    return {
      version: VERSION,
      upstreamUrl: `${new Set(tenants.map((t) => t.upstreamUrl)).size} upstream(s)`,
      tenantUrl: `${tenants.length} tenant(s)${options.shard ? ` (shard ${options.shard.index}/${options.shard.count})` : ""}`,
      authMethod: [...new Set(tenants.map((t) => t.authMethod))].join(", "),
      state: [...states].map(([state, count]) => `${count} ${state}`).join(", "),
      ready: tenants.length > 0 && tenants.every((t) => t.ready),
      series: tenants.reduce((sum, t) => sum + t.series, 0),
      tenants,
    };
  };

  const tenant = (name: string) => {
    const run = multi ? runs.get(name) : undefined;
    if (run === undefined) return undefined;
    // The process metrics too: a per-tenant target is the only target Prometheus has of this process.
    const selfMetrics = async () => combineTexts([await processSelf.render(), await run.self.render()]);
    return { statistics: () => run.snapshot.statistics, selfMetrics, status: tenantStatus(run) };
  };

  let stopped: Promise<void> | undefined;
  const reloadFailed = (error: unknown): ReloadOutcome => {
    configLoaded(processSelf, false);
    const message = error instanceof Error ? error.message : String(error);
    logger.error({ config: options.configPath, problems: message }, "config reload failed: keeping the running config");
    return { ok: false, message, answer: reloadFailureAnswer(error) };
  };

  /** Applies a new config to one tenant's pipeline, touching nothing the change does not need. */
  const reloadRun = async (run: TenantRun, next: CheckedConfig): Promise<void> => {
    const plan = planReload(run.checked.config, next.config);
    if (plan.newPipeline) {
      await stopRun(run);
      startRun(run.name, next, 0, run);
    } else {
      run.checked = next;
      if (plan.newSubscription) run.poller.replaceSubscription(buildSubscriptionRequest(next.config));
    }
  };

  const reloadOnce = async (): Promise<ReloadOutcome> => {
    if (options.configPath === undefined) return { ok: false, message: "no config file to reload" };
    // A reload queued behind stop() would start a new poll loop after the exporter stopped.
    if (stopped) return { ok: false, message: "the exporter is stopping" };
    const next = await loadCheckedConfigFile(options.configPath, options.env);
    if (next.kind !== running.kind) throw new Error("switching between the single-tenant form and tenants needs a restart");
    const sharedPlan = planSharedReload(sharedOf(running), sharedOf(next));
    if (sharedPlan.needsRestart) logger.warn("changes of web.* and metrics.namespace take effect at the next restart");
    const keep = sharedPlan.keepNamespace;
    if (next.kind === "single") {
      await reloadRun(runs.get("")!, await withNamespace(next, keep, options.configPath));
    } else {
      const wanted = new Map(tenantsOf(next).map((t) => [t.name, t.checked]));
      for (const [name, run] of [...runs]) {
        if (wanted.has(name)) continue;
        runs.delete(name);
        await stopRun(run);
        statisticsVersion++;
        logger.info({ tenant: name }, "tenant removed");
      }
      for (const [name, checked] of wanted) {
        const ready = await withNamespace(checked, keep, options.configPath);
        const run = runs.get(name);
        if (run === undefined) {
          startRun(name, ready, 0);
          logger.info({ tenant: name }, "tenant added");
        } else await reloadRun(run, ready);
      }
    }
    running = next;
    configLoaded(processSelf, true);
    logger.info({ config: options.configPath }, "config reloaded");
    return { ok: true, message: "config reloaded" };
  };

  // Never rejects: SIGHUP fires and forgets, and one failure must not block every later reload.
  const reloads = new Coalescer(() => reloadOnce().catch(reloadFailed));
  const reload = (): Promise<ReloadOutcome> => reloads.run();

  const app = createApp({
    metricsPath: shared.web.metrics_path,
    statistics: allStatistics,
    selfMetrics: allSelfMetrics,
    ...(singleSelf && {
      openMetrics: { statistics: () => runs.get("")!.snapshot.openMetrics, selfMetrics: () => singleSelf.render("openmetrics") },
    }),
    status,
    ...(multi && { tenant }),
    ...(shared.web.enable_lifecycle && { reload }),
    logger,
    ...(start.web.guard && { guard: start.web.guard }),
    ...(start.web.headers && { headers: start.web.headers }),
  });
  if (start.web.guard && !start.web.tls) logger.warn("basic auth without TLS: passwords cross the network readable");
  const server: RunningServer = await listen(app, options.listenAddress ?? shared.web.listen_address, start.web.tls);
  configLoaded(processSelf, true);
  startAll(start);

  return {
    url: server.url,
    status,
    reload,
    stop: () => {
      stopped ??= (async () => {
        await reloads.idle();
        await Promise.all([...runs.values()].map(stopRun));
        await server.close();
        await worker.close();
        logger.info("exporter stopped");
      })();
      return stopped;
    },
  };
}
