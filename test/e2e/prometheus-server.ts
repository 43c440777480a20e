// A real Prometheus (Debian's `prometheus` binary) on 127.0.0.1, scraping one target every second,
// with a temporary storage dir; and the checker that runs dashboard and rule queries through it.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DashboardQuery } from "./dashboard-queries.js";
import type { PromSeries } from "./grafana-panel.js";
import { freePort } from "../support/free-port.js";

export const PROMETHEUS = process.env.PROMETHEUS ?? "prometheus";
export const JOB = "brightpattern-exporter";

export interface PrometheusServer {
  url: string;
  query(promql: string): Promise<QueryAnswer>;
  /** Grafana's two query kinds, for drawing panels (grafana-panel.ts); throw when Prometheus rejects the query. */
  instant(promql: string, time: number): Promise<PromSeries[]>;
  range(promql: string, start: number, end: number, step: number): Promise<PromSeries[]>;
  /** Polls until `promql` returns at least one series, or throws after `timeoutMs` with Prometheus's log. */
  waitFor(promql: string, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface QueryAnswer {
  status: "success" | "error";
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}


const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `tenants`: one target a tenant (`/metrics?tenant=NAME`), as the README's per-tenant scrape job does: the
 * target label `tenant` tells the targets' `up` apart, honor_labels keeps the exporter's own `tenant`.
 */
export async function startPrometheus(options: { target: string; metricsPath: string; ruleFiles: string[]; tenants?: string[] }): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), "bp-prometheus-"));
  const job = { job_name: JOB, metrics_path: options.metricsPath };
  const scrape = options.tenants === undefined
    ? { ...job, static_configs: [{ targets: [options.target] }] }
    : {
        ...job,
        honor_labels: true,
        static_configs: options.tenants.map((tenant) => ({ targets: [options.target], labels: { __param_tenant: tenant } })),
        relabel_configs: [{ source_labels: ["__param_tenant"], target_label: "tenant" }],
      };
  const config = {
    global: { scrape_interval: "1s", evaluation_interval: "1s" },
    rule_files: options.ruleFiles,
    scrape_configs: [scrape],
  };
  await writeFile(join(dir, "prometheus.yml"), JSON.stringify(config)); // JSON is YAML
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = "";
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  child.stderr?.on("data", (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const spawnError = new Promise<never>((_, reject) => child.once("error", (error) => reject(new Error(`could not run ${PROMETHEUS}: ${error.message} (install Debian's "prometheus" package)`))));

  const query = async (promql: string): Promise<QueryAnswer> => {
    const response = await fetch(`${url}/api/v1/query`, { method: "POST", body: new URLSearchParams({ query: promql }) });
    return (await response.json()) as QueryAnswer;
  };
  const api = async (path: string, params: Record<string, string>): Promise<{ resultType: string; result: { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }[] }> => {
    const response = await fetch(`${url}/api/v1/${path}`, { method: "POST", body: new URLSearchParams(params) });
    const answer = (await response.json()) as { status: string; error?: string; data: { resultType: string; result: { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }[] } };
    if (answer.status !== "success") throw new Error(`Prometheus rejected ${params.query}: ${answer.error}`);
    return answer.data;
  };
  const instant = async (promql: string, time: number): Promise<PromSeries[]> => {
    const data = await api("query", { query: promql, time: String(time) });
    if (data.resultType === "scalar") return [{ metric: {}, values: [data.result as unknown as [number, string]] }];
    return data.result.map((series) => ({ metric: series.metric, values: series.value ? [series.value] : [] }));
  };
  const range = async (promql: string, start: number, end: number, step: number): Promise<PromSeries[]> => {
    const data = await api("query_range", { query: promql, start: String(start), end: String(end), step: String(step) });
    return data.result.map((series) => ({ metric: series.metric, values: series.values ?? [] }));
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(5000).then(() => child.kill("SIGKILL"))]);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const waitFor = async (promql: string, timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    let last: string | undefined;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}):\n${log}`);
      try {
        const answer = await query(promql);
        if (answer.status === "success" && (answer.data?.result.length ?? 0) > 0) return;
        last = JSON.stringify(answer);
      } catch (error) {
        last = String(error); // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`no result for ${promql} within ${timeoutMs} ms (last answer: ${last})\nprometheus log:\n${log}`);
      await sleep(250);
    }
  };
  try {
    await Promise.race([spawnError, waitFor("vector(1)", 20_000)]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, query, instant, range, waitFor, stop };
}

/**
 * Runs every query through Prometheus and throws one error listing each query that fails to parse
 * or returns no series, by where it comes from (dashboard and panel title, variable, alert rule).
 * `labelOf` names a label every result must carry (template variables).
 */
export async function checkQueries(prometheus: Pick<PrometheusServer, "query">, queries: readonly (DashboardQuery & { label?: string })[]): Promise<void> {
  const problems: string[] = [];
  for (const query of queries) {
    const answer = await prometheus.query(query.promql);
    const result = answer.data?.result ?? [];
    if (answer.status !== "success") problems.push(`${query.where}: Prometheus rejected the query: ${answer.error}\n    ${query.promql}`);
    else if (result.length === 0) problems.push(`${query.where}: no series\n    ${query.promql}`);
    else if (query.label && !result.some((series) => series.metric[query.label ?? ""])) {
      problems.push(`${query.where}: no series has the label ${query.label}\n    ${query.promql}`);
    }
  }
  if (problems.length > 0) throw new Error(`${problems.length} of ${queries.length} queries failed:\n${problems.join("\n")}`);
}
