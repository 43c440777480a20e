// The landing page: what the exporter is connected to and how its polls go. Holds nothing secret.
import type { ExporterStatus } from "./server.js";

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

function timeCell(at: number | undefined): string {
  return at === undefined ? "never" : new Date(at).toISOString();
}

/** With several tenants: one row each, linking to its own scrape target. */
function tenantTable(status: ExporterStatus, metricsPath: string): string {
  const head = ["Tenant", "Tenant URL", "State", "Ready", "Series", "Last data", "Last error"];
  const rows = (status.tenants ?? []).map((t) => {
    const link = `<a href="${escapeHtml(`${metricsPath}?tenant=${encodeURIComponent(t.name)}`)}">${escapeHtml(t.name)}</a>`;
    const cells = [t.tenantUrl, t.state, t.ready ? "yes" : "no", String(t.series), timeCell(t.lastSuccessAt), t.lastError ? `${t.lastError.reason}: ${t.lastError.message}` : "none"];
    return `<tr><td>${link}</td>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`;
  });
  return `<h2>Tenants</h2>
<table>
<tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr>
${rows.join("\n")}
</table>
`;
}

export function landingPage(status: ExporterStatus, metricsPath: string): string {
  const rows: [string, string][] = [
    ["Version", status.version],
    ["Upstream", status.upstreamUrl],
    ["Tenant", status.tenantUrl],
    ["Authentication", status.authMethod],
    ["State", status.state],
    ["Ready", status.ready ? "yes" : "no"],
    ["Statistic series", String(status.series)],
    ["Last poll", timeCell(status.lastPollAt)],
    ["Last data", timeCell(status.lastSuccessAt)],
    ["Last error", status.lastError ? `${timeCell(status.lastError.at)} ${status.lastError.reason}: ${status.lastError.message}` : "none"],
  ];
  const table = rows.map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`).join("\n");
  const tenants = status.tenants === undefined ? "" : tenantTable(status, metricsPath);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Bright Pattern exporter</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}th{text-align:left;padding-right:1.5rem;vertical-align:top}td{word-break:break-word}</style>
</head>
<body>
<h1>Bright Pattern exporter</h1>
<p><a href="${escapeHtml(metricsPath)}">Metrics</a> · <a href="/healthz">Health</a> · <a href="/readyz">Readiness</a></p>
<table>
${table}
</table>
${tenants}</body>
</html>
`;
}
