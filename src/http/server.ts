// The HTTP face of the exporter: /metrics, /healthz, /readyz, the landing page and /-/reload.
// createApp builds the handlers without listening, so tests can drive them in-process.
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import type { Logger } from "pino";
import { LISTEN_ADDRESS_EXPECTED, parseListenAddress } from "../config/listen-address.js";
import { landingPage } from "./landing-page.js";
import type { PreparedStatistics } from "../exposition/prepared-statistics.js";
import { gzipChunks, plainChunks } from "../exposition/scrape-body.js";
import { responseHeaders } from "./headers.js";
import { negotiateFormat } from "./negotiation.js";
import { OPENMETRICS_CONTENT_TYPE, OPENMETRICS_EOF, TEXT_CONTENT_TYPE } from "../metrics/openmetrics.js";
import { DEFAULT_HTTP_LIMITS, type HttpLimits, admitRequests, applyServerLimits, serverOptions } from "./limits.js";
import { sameOriginOnly } from "./same-origin.js";
import { writeBody } from "./write-body.js";


/** One tenant's state (with several tenants). Holds nothing secret. */
export interface TenantStatus extends Omit<ExporterStatus, "version" | "tenants"> {
  name: string;
}

/** What the landing page and /readyz show. Holds nothing secret. */
export interface ExporterStatus {
  version: string;
  /** With several tenants: each one's state (the fields above then sum them up). */
  tenants?: TenantStatus[];
  upstreamUrl: string;
  tenantUrl: string;
  authMethod: string;
  state: string;
  ready: boolean;
  series: number;
  lastPollAt?: number;
  lastSuccessAt?: number;
  lastError?: { reason: string; message: string; at: number };
}

export interface ReloadOutcome {
  ok: boolean;
  /** What happened, in full (a failure's problems may name files: for the log and in-process callers). */
  message: string;
  /** The answer to POST /-/reload when it must differ from `message`: a failure's names no file path. */
  answer?: string;
}

/** One tenant's scrape: its statistics and its own self-metrics (its own up). */
export interface TenantScrape {
  statistics: () => PreparedStatistics;
  selfMetrics: () => Promise<string>;
  status: TenantStatus;
}

export interface AppDeps {
  metricsPath: string;
  /** With several tenants, every tenant's statistics (prepared per change, so possibly not ready yet). */
  statistics: () => PreparedStatistics | Promise<PreparedStatistics>;
  /** With several tenants: `?tenant=NAME` serves one (undefined: no such tenant here). Without: `?tenant=` is a 404. */
  tenant?: (name: string) => TenantScrape | undefined;
  selfMetrics: () => Promise<string>;
  /** OpenMetrics, for scrapers that prefer it (Prometheus): the statistics of the last poll and the self-metrics
   * (without `# EOF`). Without it (several tenants), every scrape gets the text format. */
  openMetrics?: { statistics: () => PreparedStatistics; selfMetrics: () => Promise<string> };
  status: () => ExporterStatus;
  /** Serves POST /-/reload; without it (web.enable_lifecycle off) the endpoint answers 403. */
  reload?: () => Promise<ReloadOutcome>;
  /** Guards /metrics, the landing page and /-/reload (basic auth); /healthz and /readyz stay open for probes. */
  guard?: RequestHandler;
  /** Extra response headers from the web config (e.g. Strict-Transport-Security). */
  headers?: Readonly<Record<string, string>>;
  logger: Logger;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  if (deps.headers) app.use(responseHeaders(deps.headers));
  const guard: RequestHandler = deps.guard ?? ((_req, _res, next) => next());

  app.get("/healthz", (_req, res) => {
    res.type("text/plain").send("ok\n");
  });

  app.get("/readyz", (req, res) => {
    const name = tenantParameter(req.query.tenant);
    const scrape = name === undefined ? undefined : deps.tenant?.(name);
    if (name !== undefined && scrape === undefined) {
      res.status(404).type("text/plain").send(`no tenant "${name}" here\n`);
      return;
    }
    const status: Pick<ExporterStatus, "ready" | "lastSuccessAt" | "tenants"> = scrape?.status ?? deps.status();
    const line = (s: { ready: boolean; lastSuccessAt?: number | undefined }) =>
      s.ready ? "ready" : `not ready: ${s.lastSuccessAt === undefined ? "no data yet" : "data is stale"}`;
    // With several tenants the body says how each one is; the status is 200 once every one is ready.
    const tenants = scrape === undefined ? (status.tenants ?? []) : [];
    const waiting = tenants.filter((t) => !t.ready).length;
    const head = tenants.length === 0 || status.ready ? line(status) : `not ready: ${waiting} of ${tenants.length} tenants`;
    const body = [head, ...tenants.map((t) => `${t.name}: ${line(t)}${t.ready ? "" : ` (${t.state})`}`)].join("\n");
    res.status(status.ready ? 200 : 503).type("text/plain").send(`${body}\n`);
  });

  app.get(deps.metricsPath, guard, async (req, res) => {
    const name = tenantParameter(req.query.tenant);
    const scrape = name === undefined ? undefined : deps.tenant?.(name);
    if (name !== undefined && scrape === undefined) {
      res.status(404).type("text/plain").send(`no tenant "${name}" here${deps.tenant ? "" : ": this exporter has no tenants"}\n`);
      return;
    }
    const openMetrics = scrape === undefined && negotiateFormat(req.headers.accept) === "openmetrics" ? deps.openMetrics : undefined;
    const [statistics, tail] = openMetrics
      ? [openMetrics.statistics(), (await openMetrics.selfMetrics()) + OPENMETRICS_EOF] // `# EOF` after the self-metrics
      : await statisticsAfterSelfMetrics(scrape ?? deps);
    const gzip = req.acceptsEncodings("gzip", "identity") === "gzip";
    const chunks = gzip ? gzipChunks(statistics, tail) : plainChunks(statistics, tail);
    res.setHeader("Content-Type", openMetrics ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE);
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Vary", "Accept, Accept-Encoding");
    if (gzip) res.setHeader("Content-Encoding", "gzip");
    res.setHeader("Content-Length", chunks.reduce((sum, chunk) => sum + chunk.length, 0));
    await writeBody(res, chunks);
  });

  app.post("/-/reload", sameOriginOnly, guard, async (_req, res) => {
    if (!deps.reload) {
      res.status(403).type("text/plain").send("the lifecycle endpoint is off: set web.enable_lifecycle: true to reload over HTTP\n");
      return;
    }
    const outcome = await deps.reload();
    res.status(outcome.ok ? 200 : 500).type("text/plain").send(`${outcome.answer ?? outcome.message}\n`);
  });

  app.get("/", guard, (_req, res) => {
    res.type("html").send(landingPage(deps.status(), deps.metricsPath));
  });

  app.use((_req, res) => {
    res.status(404).type("text/plain").send("not found\n");
  });

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    deps.logger.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "HTTP handler failed");
    if (!res.headersSent) res.status(500).type("text/plain").send("internal error\n");
    else res.destroy();
  });

  return app;
}

/**
 * The self-metrics first, then the statistics: a poll swaps its statistics before it sets `up`, so a scrape
 * that reads `up 1` also holds that poll's data (with tenants the statistics are prepared asynchronously).
 */
async function statisticsAfterSelfMetrics(source: {
  statistics: () => PreparedStatistics | Promise<PreparedStatistics>;
  selfMetrics: () => Promise<string>;
}): Promise<[PreparedStatistics, string]> {
  const self = await source.selfMetrics();
  return [await source.statistics(), self];
}

/** `?tenant=NAME` once; a repeated or empty one names no tenant. */
function tenantParameter(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : "";
}

export interface RunningServer {
  server: http.Server;
  /** http://host:port as reachable on this machine. */
  url: string;
  close(): Promise<void>;
}

/**
 * Listens on plain HTTP, or HTTPS when `tls` options are given (from the web config), with the client limits
 * of limits.ts (defaults unless overridden, e.g. by tests).
 */
export async function listen(
  app: express.Express,
  listenAddress: string,
  tls?: https.ServerOptions,
  limitOverrides: Partial<HttpLimits> = {},
): Promise<RunningServer> {
  const parsed = parseListenAddress(listenAddress);
  if (parsed === undefined) throw new Error(`listen address "${listenAddress}": ${LISTEN_ADDRESS_EXPECTED}`);
  const { host, port } = parsed;
  const limits = { ...DEFAULT_HTTP_LIMITS, ...limitOverrides };
  const admitted = admitRequests(app, limits);
  const server = tls
    ? https.createServer({ ...serverOptions(limits), ...tls }, admitted)
    : http.createServer(serverOptions(limits), admitted);
  applyServerLimits(server, limits);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const scheme = tls ? "https" : "http";
  const shownHost = host === undefined || host === "0.0.0.0" || host === "::" ? "127.0.0.1" : address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    server,
    url: `${scheme}://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
