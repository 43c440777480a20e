// "No value" that says which: the wallboard tiles' own PromQL, evaluated by promtool over a
// timeline of the exporter's series, answers the number while the statistic is fresh and a reason
// code the tile maps to a text otherwise: waiting for the first answer, stale, not subscribed.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dump } from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REASON } from "../../../grafana/source/panels.js";
import { type Dashboard, allPanels, loadDashboards, substituteVariables } from "../../e2e/dashboard-queries.js";
import { promtool } from "../prometheus/promtool.js";

const dashboards = loadDashboards();
const panel = (uid: string, title: string): { expr: string; mappings: string } => {
  const found = allPanels(dashboards.find(({ dashboard }) => dashboard.uid === uid)?.dashboard as Dashboard).find((candidate) => candidate.title === title);
  if (!found?.targets?.[0]) throw new Error(`${uid} has no panel "${title}"`);
  return { expr: substituteVariables(found.targets[0].expr), mappings: JSON.stringify((found.fieldConfig as { defaults: { mappings: unknown } }).defaults.mappings) };
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bp-no-value-"));
  await writeFile(join(dir, "none.yml"), "groups: []\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs promql_expr_test cases over the input series; returns promtool's verdict. */
async function evaluate(series: { series: string; values: string }[], cases: { expr: string; eval_time: string; exp_samples: { labels: string; value: number }[] }[]): Promise<{ code: number; output: string }> {
  const file = join(dir, `case-${Math.random().toString(36).slice(2)}.yml`);
  await writeFile(file, dump({ rule_files: ["none.yml"], evaluation_interval: "1m", tests: [{ interval: "1m", input_series: series, promql_expr_test: cases }] }, { lineWidth: -1 }));
  return promtool(["test", "rules", file]);
}

// Minute 0: started, no success yet. 1–2: fresh, 3 calls waiting. 3–4: stale (statistics dropped).
// 5–6: fresh again, but this statistic is not in the subscription.
const TIMELINE = [
  { series: 'brightpattern_last_success_timestamp_seconds{job="brightpattern-exporter", instance="bp:9737"}', values: "0 60 120 120 120 300 360" },
  { series: 'brightpattern_statistic_series{job="brightpattern-exporter", instance="bp:9737"}', values: "0 50 50 0 0 40 40" },
  { series: 'brightpattern_in_calls_waiting{job="brightpattern-exporter", instance="bp:9737", app_id="wallboard"}', values: "_ 3 3 stale _ _ _" },
];

describe("the wallboard's headline tiles say why they have no number", () => {
  it.each([
    ["Calls waiting", "brightpattern_in_calls_waiting"],
    ["Longest wait", "brightpattern_in_max_wait_time_seconds"],
    ["Agents ready", "brightpattern_agents_ready"],
  ])("%s: the number while fresh, else waiting / stale / not subscribed", async (title, metric) => {
    const { expr, mappings } = panel("brightpattern-wallboard", title);
    for (const { value, text } of Object.values(REASON)) expect(mappings).toContain(`"${value}":{"text":"${text}"`);
    const series = TIMELINE.map((one) => ({ ...one, series: one.series.replace("brightpattern_in_calls_waiting", metric) }));
    const at = (minute: number, value: number): { expr: string; eval_time: string; exp_samples: { labels: string; value: number }[] } => ({ expr, eval_time: `${minute}m`, exp_samples: [{ labels: "{}", value }] });
    const result = await evaluate(series, [at(0, REASON.waiting.value), at(2, 3), at(4, REASON.stale.value), at(6, REASON.notConfigured.value)]);
    expect(result.output).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });

  it("the check can fail: a wrong expectation is reported", async () => {
    const { expr } = panel("brightpattern-wallboard", "Calls waiting");
    const result = await evaluate(TIMELINE, [{ expr, eval_time: "4m", exp_samples: [{ labels: "{}", value: 3 }] }]);
    expect(result.code).not.toBe(0);
  });

  it("Data freshness: the age after the first success, 'Waiting for the first answer' before it, never 56 years", async () => {
    const tv = panel("brightpattern-wallboard", "Data freshness");
    const health = panel("brightpattern-exporter", "Data age");
    expect(tv.mappings).toContain('"-1":{"text":"Waiting for the first answer"');
    expect(health.mappings).toContain('"-1":{"text":"Waiting for the first answer"');
    const labels = '{job="brightpattern-exporter", instance="bp:9737"}';
    const result = await evaluate(TIMELINE, [
      { expr: tv.expr, eval_time: "0m", exp_samples: [{ labels: "{}", value: -1 }] },
      { expr: tv.expr, eval_time: "4m", exp_samples: [{ labels: "{}", value: 120 }] },
      { expr: health.expr, eval_time: "0m", exp_samples: [{ labels, value: -1 }] },
      { expr: health.expr, eval_time: "4m", exp_samples: [{ labels, value: 120 }] },
    ]);
    expect(result.output).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });
});
