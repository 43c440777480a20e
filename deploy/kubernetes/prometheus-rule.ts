// Wraps the project's Prometheus alert rules (prometheus/alerts.yml, `groups: [...]`) in a
// PrometheusRule for the Prometheus Operator, so the two never drift apart (a test compares them).
//   npx tsx deploy/kubernetes/prometheus-rule.ts   # rewrites base/prometheusrule.yaml
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dump, load } from "js-yaml";

export const ALERTS_PATH = "prometheus/alerts.yml";
export const RULE_PATH = "deploy/kubernetes/base/prometheusrule.yaml";
export const GENERATED_HEADER = `# Generated from ${ALERTS_PATH} by deploy/kubernetes/prometheus-rule.ts: edit that file, then re-run.\n`;

/** The PrometheusRule whose spec is the alert file's content; throws when the file has no `groups` list. */
export function prometheusRuleFromAlerts(alertsYaml: string): Record<string, unknown> {
  const rules = load(alertsYaml) as { groups?: unknown } | null;
  if (rules === null || typeof rules !== "object" || !Array.isArray(rules.groups)) {
    throw new Error(`${ALERTS_PATH}: expected a mapping with a "groups" list`);
  }
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name: "brightpattern-exporter", labels: { "app.kubernetes.io/name": "brightpattern-exporter" } },
    spec: { groups: rules.groups },
  };
}

export function renderPrometheusRule(alertsYaml: string): string {
  return GENERATED_HEADER + dump(prometheusRuleFromAlerts(alertsYaml), { lineWidth: -1, noRefs: true });
}

async function main(): Promise<void> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
  const text = renderPrometheusRule(await readFile(join(root, ALERTS_PATH), "utf8"));
  await writeFile(join(root, RULE_PATH), text);
  process.stdout.write(`wrote ${RULE_PATH}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
