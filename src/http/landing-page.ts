// The landing page: the page an operator opens first. Is the upstream answering, how old is the data, what
// went wrong last (in words), how much is exported, and where the metrics, the docs and the dashboards are.
// It reloads itself, shows times in the reader's time zone with their age, and fits a phone. Holds nothing
// secret (the status does not carry any). Plain HTML and a few lines of inline script, no assets.
import type { ErrorReason } from "../statsapi/errors.js";
import type { ExporterStatus, TenantStatus } from "./server.js";

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/** Seconds between reloads of the page (the ages tick every second in between). */
export const LANDING_PAGE_REFRESH_SECONDS = 10;

/** Each error reason as an operator would say it, with what to check. */
const REASON_WORDS: Record<ErrorReason, string> = {
  login_rejected: "The Stats API rejected the login: check the client id and secret (or username and password).",
  login_forbidden: "The server refuses the legacy session login: set upstream.auth.method to oauth.",
  unauthorized: "The session or token expired; the exporter logs in again.",
  no_subscription: "The server dropped the subscription; the exporter subscribes again.",
  bad_request: "The server refused the subscription: a statistic, grid or id in the config is wrong (see the log).",
  subscription_limit: "The tenant's limit of active subscriptions is reached: another client uses this API user.",
  upstream_error: "The Bright Pattern server answered with an error (5xx).",
  unexpected_status: "The Bright Pattern server gave an answer the exporter does not expect.",
  timeout: "The Bright Pattern server did not answer within upstream.timeout.",
  network: "The Bright Pattern server cannot be reached (connection refused or reset, DNS, TLS).",
  malformed_response: "The Bright Pattern server sent data that is not what the Stats API sends.",
  forbidden: "The server refuses the API user: it lacks a privilege (see the log for which).",
  request_too_large: "The server found a request too large; the exporter starts a fresh session.",
  shared_api_user: "Another client uses the same API user and takes over its subscription: give the exporter a user of its own.",
  internal: "An internal error of the exporter (please report it).",
};

export function reasonInWords(reason: string): string {
  return Object.hasOwn(REASON_WORDS, reason) ? REASON_WORDS[reason as ErrorReason] : `Error "${reason}".`;
}

type Tone = "good" | "waiting" | "bad";

/** The headline: one sentence on the upstream, and its colour. */
function headline(status: Pick<ExporterStatus, "ready" | "state" | "lastSuccessAt" | "lastError">): { tone: Tone; text: string } {
  const failing = status.lastError !== undefined && (status.lastSuccessAt === undefined || status.lastError.at > status.lastSuccessAt);
  if (status.ready && !failing) return { tone: "good", text: "Collecting data: the Stats API answers and the numbers are fresh." };
  if (failing) return { tone: "bad", text: status.ready ? "The last poll failed; the numbers shown are still fresh." : "No fresh data: the Stats API is not answering as it should." };
  if (status.lastSuccessAt === undefined) return { tone: "waiting", text: `Waiting for the first data (${status.state}).` };
  return { tone: "bad", text: "The data is stale: no fresh answer from the Stats API for a while." };
}

/**
 * With tenants: one sentence on all of them. The summed-up status has no last data or error of its own, so the
 * single-tenant headline would wait for a first data that the tenants already have.
 */
function tenantsHeadline(tenants: readonly TenantStatus[]): { tone: Tone; text: string } {
  const heads = tenants.map(headline);
  const notGood = heads.filter((head) => head.tone !== "good");
  if (notGood.length === 0) return { tone: "good", text: `Collecting data for all ${tenants.length} tenants: the Stats API answers and the numbers are fresh.` };
  const of = `${notGood.length} of ${tenants.length} tenants`;
  if (notGood.every((head) => head.tone === "waiting")) return { tone: "waiting", text: `Waiting for the first data of ${of}.` };
  return { tone: "bad", text: `${of} ${notGood.length === 1 ? "is" : "are"} not collecting fresh data: see Tenants below.` };
}

/** With tenants, the Data card sums them up: how many are ready, the oldest data among them, how many fail. */
function tenantsData(tenants: readonly TenantStatus[], series: number): string {
  const withData = tenants.flatMap((t) => (t.lastSuccessAt === undefined ? [] : [t.lastSuccessAt]));
  const failing = tenants.filter((t) => headline(t).tone === "bad" && t.lastError !== undefined).length;
  return `<section class="card"><h2>Data</h2><dl>
${row("Tenants ready", escapeHtml(`${tenants.filter((t) => t.ready).length} of ${tenants.length}`), "/readyz: 200 once every tenant has fresh data")}
${row("Last data", time(withData.length === 0 ? undefined : Math.min(...withData)), "the oldest of the tenants' last data; each tenant's is below")}
${row("Statistic series", escapeHtml(String(series)), "series on /metrics besides the exporter's own, all tenants")}
${row("Last error", failing === 0 ? "none" : escapeHtml(`in ${failing} tenant${failing === 1 ? "" : "s"}, see below`))}
</dl></section>`;
}

/** A time the browser shows in its own zone with its age ("12 s ago"); UTC ISO without script. */
function time(at: number | undefined): string {
  if (at === undefined) return `<span class="never">never</span>`;
  return `<time datetime="${new Date(at).toISOString()}" data-at="${at}">${new Date(at).toISOString()}</time>`;
}

function row(name: string, value: string, note = ""): string {
  return `<div class="row"><dt>${escapeHtml(name)}</dt><dd>${value}${note === "" ? "" : `<small>${escapeHtml(note)}</small>`}</dd></div>`;
}

/** With several tenants: one card each, linking to its own scrape target. */
function tenantCards(status: ExporterStatus, metricsPath: string): string {
  const cards = (status.tenants ?? []).map((t) => {
    const head = headline(t);
    const link = `<a href="${escapeHtml(`${metricsPath}?tenant=${encodeURIComponent(t.name)}`)}">${escapeHtml(t.name)}</a>`;
    const error = t.lastError ? `${escapeHtml(reasonInWords(t.lastError.reason))} <code>${escapeHtml(t.lastError.reason)}</code>` : "none";
    return `<section class="card tenant ${head.tone}"><h3>${link}</h3><dl>
${row("Tenant URL", escapeHtml(t.tenantUrl))}
${row("State", escapeHtml(`${t.state}${t.ready ? ", ready" : ", not ready"}`))}
${row("Series", escapeHtml(String(t.series)))}
${row("Last data", time(t.lastSuccessAt))}
${row("Last error", error)}
</dl></section>`;
  });
  return `<h2>Tenants</h2>\n<div class="grid">\n${cards.join("\n")}\n</div>\n`;
}

// Ages tick every second; the page reloads every LANDING_PAGE_REFRESH_SECONDS for fresh numbers.
const SCRIPT = `
const age = (ms) => { const s = Math.max(0, Math.round(ms / 1000)); if (s < 90) return s + " s ago"; const m = Math.round(s / 60); if (m < 90) return m + " min ago"; const h = Math.round(m / 60); return h < 48 ? h + " h ago" : Math.round(h / 24) + " days ago"; };
const tick = () => { for (const t of document.querySelectorAll("time[data-at]")) { const at = Number(t.dataset.at); t.textContent = new Date(at).toLocaleString() + " (" + age(Date.now() - at) + ")"; t.title = t.getAttribute("datetime"); } };
tick(); setInterval(tick, 1000);
`;

const STYLE = `
:root{color-scheme:light dark;--good:#1a7f37;--waiting:#9a6700;--bad:#cf222e;--line:#8884}
*{box-sizing:border-box}
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;padding:1rem;max-width:64rem}
h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}.card h2{margin-top:0}h3{margin:0 0 .5rem;font-size:1rem}
.banner{border-radius:.5rem;padding:.8rem 1rem;color:#fff;font-weight:600;font-size:1.1rem}
.banner.good{background:var(--good)}.banner.waiting{background:var(--waiting)}.banner.bad{background:var(--bad)}
.grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));margin-top:1rem}
.card{border:1px solid var(--line);border-radius:.5rem;padding:.8rem 1rem;min-width:0}
.card.tenant.good{border-left:.4rem solid var(--good)}.card.tenant.waiting{border-left:.4rem solid var(--waiting)}.card.tenant.bad{border-left:.4rem solid var(--bad)}
dl{margin:0}.row{padding:.35rem 0;border-top:1px solid var(--line)}.row:first-child{border-top:0}
dt{font-size:.85rem;opacity:.75}dd{margin:0;overflow-wrap:anywhere}small{display:block;opacity:.7;font-size:.8rem}
ul{margin:0;padding-left:1.2rem}li{margin:.25rem 0}code{font-size:.9em;overflow-wrap:anywhere}
a{color:#0969da}@media (prefers-color-scheme:dark){a{color:#58a6ff}}
footer{margin-top:1.5rem;font-size:.8rem;opacity:.7}
`;

export function landingPage(status: ExporterStatus, metricsPath: string): string {
  const head = status.tenants === undefined ? headline(status) : tenantsHeadline(status.tenants);
  const metrics = escapeHtml(metricsPath);
  const error = status.lastError
    ? `${escapeHtml(reasonInWords(status.lastError.reason))}<small>${escapeHtml(status.lastError.message)} (<code>${escapeHtml(status.lastError.reason)}</code>, ${time(status.lastError.at)})</small>`
    : "none";
  const upstream = `<section class="card"><h2>Upstream</h2><dl>
${row("Server", escapeHtml(status.upstreamUrl))}
${row("Tenant", escapeHtml(status.tenantUrl))}
${row("Authentication", escapeHtml(status.authMethod))}
${row("State", escapeHtml(status.state), "authenticating → subscribing → polling; backoff after a failure")}
${row("Ready", status.ready ? "yes" : "no", "/readyz: 200 once data was served and while it is fresh")}
</dl></section>`;
  const data = status.tenants !== undefined ? tenantsData(status.tenants, status.series) : `<section class="card"><h2>Data</h2><dl>
${row("Last data", time(status.lastSuccessAt), "when an answer of the Stats API last brought statistics: the age of the numbers on the wallboards")}
${row("Last poll", time(status.lastPollAt), "when the exporter last asked the Stats API, whatever the answer")}
${row("Statistic series", escapeHtml(String(status.series)), "series on /metrics besides the exporter's own")}
${row("Last error", error)}
</dl></section>`;
  const links = `<section class="card"><h2>Links</h2><ul>
<li><a href="${metrics}">Metrics</a> (<code>${metrics}</code>: text format; Prometheus gets OpenMetrics)</li>
<li><a href="/readyz">Readiness</a> · <a href="/healthz">Health</a></li>
<li>Docs: <code>README.md</code> (Metrics, Operation, Dashboards) and <code>docs/</code> in the exporter's repository and npm package</li>
<li>Dashboards to import into Grafana: <code>grafana/dashboards/brightpattern-wallboard.json</code>, <code>brightpattern-exporter-health.json</code>, <code>brightpattern-desk.json</code></li>
</ul></section>`;
  const tenants = status.tenants === undefined ? "" : tenantCards(status, metricsPath);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="refresh" content="${LANDING_PAGE_REFRESH_SECONDS}">
<title>Bright Pattern exporter</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Bright Pattern exporter <small>${escapeHtml(status.version)}</small></h1>
<div class="banner ${head.tone}" role="status">${escapeHtml(head.text)}</div>
<div class="grid">
${upstream}
${data}
${links}
</div>
${tenants}<footer>Reloads every ${LANDING_PAGE_REFRESH_SECONDS} s. Times are this device's local time.</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
