import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../../../src/config/load.js";
import type { ParseOptions } from "../../../src/config/load.js";
import { configText, REMOVE, SECRET } from "../../support/config-tree.js";
import { rejection } from "../../support/config-rejection.js";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/config");
const GRID = "subscription.apps[0].agent_grids[0]";
const SGRID = "subscription.apps[0].service_grids[0]";


const parseFailure = (text: string, options: ParseOptions = {}) => rejection(() => parseConfig(text, { baseDir: FIXTURES, ...options }));

interface BrokenCase {
  name: string;
  changes: Record<string, unknown>;
  path: string;
  message: string;
  /** Other issues the same mistake causes (default: none). */
  issues?: number;
}

const cases: BrokenCase[] = [
  // upstream
  { name: "url without scheme", changes: { "upstream.url": "bp.example.com" }, path: "upstream.url", message: "got no scheme" },
  { name: "ftp url", changes: { "upstream.url": "ftp://bp.example.com" }, path: "upstream.url", message: 'got scheme "ftp"' },
  { name: "url with a path", changes: { "upstream.url": "https://bp.example.com/statsapi" }, path: "upstream.url", message: "without a path" },
  { name: "url with a query", changes: { "upstream.url": "https://bp.example.com?x=1" }, path: "upstream.url", message: "without a path, query" },
  { name: "url with credentials", changes: { "upstream.url": `https://admin:${SECRET}@bp.example.com` }, path: "upstream.url", message: "without credentials" },
  { name: "url not a string", changes: { "upstream.url": 8088 }, path: "upstream.url", message: "expected a string, got a number" },
  { name: "missing tenant_url", changes: { "upstream.tenant_url": REMOVE }, path: "upstream.tenant_url", message: "required: expected a string" },
  { name: "bad timeout", changes: { "upstream.timeout": "5 seconds" }, path: "upstream.timeout", message: 'expected a duration like "250ms"' },
  { name: "negative timeout", changes: { "upstream.timeout": -1 }, path: "upstream.timeout", message: "expected a duration" },
  { name: "zero timeout", changes: { "upstream.timeout": "0s" }, path: "upstream.timeout", message: "must be greater than 0" },
  { name: "unknown column_key", changes: { "upstream.column_key": "statname" }, path: "upstream.column_key", message: 'expected one of "stat_name", "statName"' },
  { name: "unknown upstream key", changes: { "upstream.proxy": "x" }, path: "upstream.proxy", message: "unknown key" },
  { name: "tls flag not a boolean", changes: { "upstream.tls.insecure_skip_verify": "yes" }, path: "upstream.tls.insecure_skip_verify", message: "expected a boolean, got a string" },
  { name: "unreadable ca_file", changes: { "upstream.tls.ca_file": "secrets/no-ca.pem" }, path: "upstream.tls.ca_file", message: `cannot read ${resolve(FIXTURES, "secrets/no-ca.pem")}: ENOENT` },
  // auth
  { name: "unknown auth method", changes: { "upstream.auth.method": "basic" }, path: "upstream.auth.method", message: 'expected one of "oauth", "session"' },
  { name: "missing client_secret", changes: { "upstream.auth.client_secret": REMOVE }, path: "upstream.auth.client_secret", message: "required: set client_secret or client_secret_file" },
  { name: "both client secrets", changes: { "upstream.auth.client_secret_file": "secrets/client-secret" }, path: "upstream.auth.client_secret", message: "set only one of client_secret and client_secret_file" },
  { name: "empty client_secret", changes: { "upstream.auth.client_secret": "" }, path: "upstream.auth.client_secret", message: "must not be empty" },
  { name: "client_secret not a string", changes: { "upstream.auth.client_secret": [SECRET] }, path: "upstream.auth.client_secret", message: "expected a string, got a list" },
  { name: "missing client_id", changes: { "upstream.auth.client_id": REMOVE }, path: "upstream.auth.client_id", message: "required" },
  { name: "password under oauth", changes: { "upstream.auth.password": SECRET }, path: "upstream.auth.password", message: "unknown key" },
  { name: "token_path without /", changes: { "upstream.auth.token_path": "token" }, path: "upstream.auth.token_path", message: 'starting with "/"' },
  { name: "session without password", changes: { "upstream.auth": { method: "session", username: "sup" } }, path: "upstream.auth.password", message: "required: set password or password_file" },
  { name: "session without username", changes: { "upstream.auth": { method: "session", password: SECRET } }, path: "upstream.auth.username", message: "required" },
  { name: "unreadable password_file", changes: { "upstream.auth": { method: "session", username: "sup", password_file: "/nonexistent/pw" } }, path: "upstream.auth.password_file", message: "cannot read /nonexistent/pw: ENOENT: no such file or directory" },
  { name: "empty password_file", changes: { "upstream.auth": { method: "session", username: "sup", password_file: "secrets/empty" } }, path: "upstream.auth.password_file", message: `${resolve(FIXTURES, "secrets/empty")} is empty` },
  { name: "password_file is a directory", changes: { "upstream.auth": { method: "session", username: "sup", password_file: "secrets" } }, path: "upstream.auth.password_file", message: "EISDIR" },
  { name: "auth not a mapping", changes: { "upstream.auth": "oauth" }, path: "upstream.auth", message: "expected a mapping" },
  // poll, web, metrics
  { name: "interval below 100ms", changes: { "poll.interval": "50ms" }, path: "poll.interval", message: "must be at least 100ms" },
  { name: "stale_after not above interval", changes: { "poll.stale_after": "3s" }, path: "poll.stale_after", message: "must be greater than poll.interval" },
  { name: "max_backoff below interval", changes: { "poll.max_backoff": "1s" }, path: "poll.max_backoff", message: "must be at least poll.interval" },
  { name: "bad interval", changes: { "poll.interval": "3 s" }, path: "poll.interval", message: "expected a duration" },
  { name: "unknown poll key", changes: { "poll.intervall": "3s" }, path: "poll.intervall", message: "unknown key" },
  { name: "metrics_path without /", changes: { "web.metrics_path": "metrics" }, path: "web.metrics_path", message: 'starting with "/"' },
  { name: "metrics_path on /healthz", changes: { "web.metrics_path": "/healthz" }, path: "web.metrics_path", message: "own paths" },
  ...["/", "/readyz", "/-/reload"].map((own) => ({
    name: `metrics_path on ${own}`,
    changes: { "web.metrics_path": own },
    path: "web.metrics_path",
    message: "must not be one of the exporter's own paths (/, /healthz, /readyz, /-/reload)",
  })),
  { name: "interval just below 100ms", changes: { "poll.interval": "99ms" }, path: "poll.interval", message: "must be at least 100ms" },
  { name: "listen_address without port", changes: { "web.listen_address": "9737" }, path: "web.listen_address", message: "expected [host]:port" },
  { name: "listen_address port too big", changes: { "web.listen_address": ":99999" }, path: "web.listen_address", message: "expected [host]:port" },
  { name: "bad namespace", changes: { "metrics.namespace": "bright-pattern" }, path: "metrics.namespace", message: "matching [a-zA-Z_][a-zA-Z0-9_]*" },
  { name: "bad percent_scale", changes: { "metrics.percent_scale.totals": 10 }, path: "metrics.percent_scale.totals", message: "expected one of 1, 100" },
  { name: "max_label_length not a number", changes: { "metrics.max_label_length": "long" }, path: "metrics.max_label_length", message: "expected a number, got a string" },
  { name: "fractional max_label_length", changes: { "metrics.max_label_length": 2.5 }, path: "metrics.max_label_length", message: "expected a whole number, got a number" },
  { name: "tiny max_label_length", changes: { "metrics.max_label_length": 8 }, path: "metrics.max_label_length", message: "must be >= 16" },
  { name: "poll not a mapping", changes: { poll: 3 }, path: "poll", message: "expected a mapping, got a number" },
  { name: "stats_totals not a list", changes: { "subscription.apps[0].stats_totals": "in_calls_waiting" }, path: "subscription.apps[0].stats_totals", message: "expected a list, got a string" },
  { name: "unknown top-level key", changes: { scrape: {} }, path: "scrape", message: "unknown key" },
  // subscription
  { name: "missing subscription", changes: { subscription: REMOVE }, path: "subscription", message: "required: expected a mapping" },
  { name: "no apps", changes: { "subscription.apps": [] }, path: "subscription.apps", message: "expected at least one app" },
  { name: "empty app_id", changes: { "subscription.apps[0].app_id": "" }, path: "subscription.apps[0].app_id", message: "must not be empty" },
  { name: "duplicate app_id", changes: { "subscription.apps[1]": { app_id: "wb", stats_totals: ["agents_ready"] } }, path: "subscription.apps[1].app_id", message: 'duplicate app_id "wb"' },
  { name: "unknown app key", changes: { "subscription.apps[0].totals": [] }, path: "subscription.apps[0].totals", message: "unknown key" },
  { name: "app requesting nothing", changes: { "subscription.apps[1]": { app_id: "empty" } }, path: "subscription.apps[1]", message: "requests nothing" },
  { name: "total not a name", changes: { "subscription.apps[0].stats_totals[0]": 5 }, path: "subscription.apps[0].stats_totals[0]", message: "expected a statistic name or {" },
  { name: "bad total metric", changes: { "subscription.apps[0].stats_totals[0]": { stat_name: "x", metric: "Bad-Name" } }, path: "subscription.apps[0].stats_totals[0].metric", message: "[a-z_][a-z0-9_]*" },
  { name: "reserved label", changes: { [`${GRID}.columns[1].label`]: "__name__" }, path: `${GRID}.columns[1].label`, message: "reserved" },
  { name: "reserved label prefix", changes: { [`${GRID}.columns[1].label`]: "__x" }, path: `${GRID}.columns[1].label`, message: "label names starting with __ are reserved by Prometheus" },
  { name: "label with a dash", changes: { [`${GRID}.columns[1].label`]: "first-name" }, path: `${GRID}.columns[1].label`, message: "expected a label name matching [a-zA-Z_][a-zA-Z0-9_]*" },
  { name: "label starting with a digit", changes: { [`${GRID}.columns[1].label`]: "1st" }, path: `${GRID}.columns[1].label`, message: "expected a label name matching [a-zA-Z_][a-zA-Z0-9_]*" },
  { name: "metric ending in a dash", changes: { "subscription.apps[0].stats_totals[0]": { stat_name: "x", metric: "calls-" } }, path: "subscription.apps[0].stats_totals[0].metric", message: "expected a metric name part matching [a-z_][a-z0-9_]*" },
  { name: "bad column type", changes: { [`${GRID}.columns[1].type`]: "counter" }, path: `${GRID}.columns[1].type`, message: 'expected one of "number", "duration"' },
  { name: "bad column percent_scale", changes: { [`${GRID}.columns[1].percent_scale`]: 50 }, path: `${GRID}.columns[1].percent_scale`, message: "expected one of 1, 100" },
  { name: "unknown column key", changes: { [`${GRID}.columns[1].dispositon`]: ["Sale"] }, path: `${GRID}.columns[1].dispositon`, message: "unknown key" },
  { name: "duplicate column id", changes: { [`${GRID}.columns[1].id`]: "login" }, path: `${GRID}.columns[1].id`, message: `duplicate column id "login" (already used by ${GRID}.columns[0])` },
  { name: "duplicate grid id", changes: { "subscription.apps[0].agent_grids[1]": { id: "agents", columns: [{ id: "l", stat_name: "login_id" }] } }, path: "subscription.apps[0].agent_grids[1].id", message: 'duplicate grid id "agents"' },
  { name: "order_by unknown column", changes: { [`${GRID}.order_by`]: "duration" }, path: `${GRID}.order_by`, message: 'expected the id of a column of this grid ("login", "state"), got "duration"' },
  { name: "filter_by unknown column", changes: { [`${SGRID}.filter_by`]: "nope" }, path: `${SGRID}.filter_by`, message: "expected the id of a column" },
  { name: "key unknown column", changes: { [`${GRID}.key`]: "nope" }, path: `${GRID}.key`, message: "expected the id of a column" },
  { name: "filter_value without filter_by", changes: { [`${GRID}.filter_value`]: "" }, path: `${GRID}.filter_value`, message: "needs filter_by" },
  { name: "filter_operation without filter_by", changes: { [`${GRID}.filter_operation`]: "EQ" }, path: `${GRID}.filter_operation`, message: "needs filter_by" },
  { name: "bad filter_operation", changes: { [`${GRID}.filter_by`]: "state", [`${GRID}.filter_operation`]: "contains" }, path: `${GRID}.filter_operation`, message: '"EQ", "NE", "LT", "GT", "LE", "GE"' },
  { name: "bad order_dir", changes: { [`${GRID}.order_dir`]: "up" }, path: `${GRID}.order_dir`, message: 'expected one of "ASC", "DESC"' },
  { name: "zero limit", changes: { [`${GRID}.limit`]: 0 }, path: `${GRID}.limit`, message: "expected a whole number >= 1" },
  { name: "text limit", changes: { [`${GRID}.limit`]: "ten" }, path: `${GRID}.limit`, message: "expected a whole number >= 1" },
  { name: "fractional limit", changes: { [`${GRID}.limit`]: 2.5 }, path: `${GRID}.limit`, message: "expected a whole number >= 1" },
  { name: "SUM without sum_stat_names", changes: { [`${GRID}.columns[1]`]: { id: "sum", stat_name: "SUM" } }, path: `${GRID}.columns[1].sum_stat_names`, message: 'required with stat_name "SUM"' },
  { name: "SUM with empty sum_stat_names", changes: { [`${GRID}.columns[1]`]: { id: "sum", stat_name: "SUM", sum_stat_names: [] } }, path: `${GRID}.columns[1].sum_stat_names`, message: 'required with stat_name "SUM"' },
  { name: "sum_stat_names without SUM", changes: { [`${GRID}.columns[1].sum_stat_names`]: ["a"] }, path: `${GRID}.columns[1].sum_stat_names`, message: 'only allowed with stat_name "SUM"' },
  { name: "agent grid without a key column", changes: { [`${GRID}.columns[0].stat_name`]: "first_last_name" }, path: `${GRID}.key`, message: 'add a column with stat_name "login_id" or set key' },
  { name: "service grid without a key column", changes: { [`${SGRID}.columns[0].stat_name`]: "service_level" }, path: `${SGRID}.key`, message: 'add a column with stat_name "name" or set key' },
  { name: "grid without columns", changes: { [`${SGRID}.columns`]: [] }, path: `${SGRID}.columns`, message: "expected at least one column", issues: 2 },
  { name: "grid without id", changes: { [`${SGRID}.id`]: REMOVE }, path: `${SGRID}.id`, message: "required" },
  { name: "bad chat limit", changes: { "subscription.apps[0].chat_messages": { limit: -1 } }, path: "subscription.apps[0].chat_messages.limit", message: "expected a whole number >= 1" },
  { name: "unknown chat key", changes: { "subscription.apps[0].chat_messages": { top: 5 } }, path: "subscription.apps[0].chat_messages.top", message: "unknown key" },
  // environment
  { name: "undefined variable", changes: { "upstream.auth.client_secret": "${BP_UNSET_SECRET}" }, path: "upstream.auth.client_secret", message: "environment variable BP_UNSET_SECRET is not set" },
  { name: "unterminated variable", changes: { "upstream.tenant_url": "${TENANT" }, path: "upstream.tenant_url", message: 'unterminated "${"' },
];

describe("broken configs", () => {
  it.each(cases)("$name → $path", async ({ changes, path, message, issues = 1 }) => {
    const error = await parseFailure(configText(changes), { env: { PRESENT: SECRET } });
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.issues).toContainEqual({ path, message: expect.stringContaining(message) as unknown });
    expect(error.issues).toHaveLength(issues);
    expect(error.message).toContain(`${path}: `);
    expect(error.message).not.toContain(SECRET);
  });

  it("has at least 30 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each([
    ["a YAML syntax error", "upstream:\n  url: [1\n", "YAML syntax error at line 3, column 1"],
    ["duplicate keys", "upstream:\n  url: a\n  url: b\n", "YAML syntax error at line 3, column 3: duplicated mapping key"],
    ["an empty text", "", "the file is empty"],
    ["only comments", "# nothing\n\n  # here\n", "the file is empty"],
    ["a list at the top", "- upstream\n", "expected a mapping at the top level, got a list"],
    ["a scalar at the top", "upstream\n", "expected a mapping at the top level, got a string"],
    ["two documents", "a: 1\n---\nb: 2\n", "YAML syntax error: expected a single document"],
  ])("reports %s", async (_name, text, message) => {
    const error = await parseFailure(text, { fileName: "bp.yaml" });
    expect(error.issues).toEqual([{ path: "", message: expect.stringContaining(message) as unknown }]);
    expect(error.message).toContain(`bp.yaml: ${message}`);
  });
});

describe("reporting", () => {
  it("rejects an alias bomb quickly instead of walking a billion values", async () => {
    const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(", ")}]`);
    const started = performance.now();
    const error = await parseFailure(lines.join("\n"));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error.issues).toEqual([{ path: "", message: expect.stringContaining("values once aliases (*name) are expanded") as unknown }]);
  });

  it("reports three different mistakes at once, each on its own line, prefixed by the file name", async () => {
    const file = resolve(FIXTURES, "three-mistakes.yaml");
    const error = await rejection(() => loadConfig(file, {}));
    expect(error.issues.map((i) => i.path)).toEqual([
      "upstream.url",
      "poll.interval",
      "subscription.apps[0].agent_grids[0].order_by",
    ]);
    const lines = error.message.split("\n");
    expect(lines[0]).toBe(`${file}: 3 problems`);
    expect(lines.slice(1)).toEqual(error.issues.map((i) => `${file}: ${i.path}: ${i.message}`));
    expect(error.message).not.toContain("s3cr3t");
  });

  it("lists zod issues and cross-field issues of the same grid together", async () => {
    const error = await parseFailure(configText({ [`${GRID}.limit`]: "many", [`${GRID}.order_by`]: "nope", "upstream.extra": 1 }));
    expect(error.issues.map((i) => i.path).sort()).toEqual([`${GRID}.limit`, `${GRID}.order_by`, "upstream.extra"].sort());
  });

  it("names the file of a YAML syntax error and its position, never the quoted source (it may hold a secret)", async () => {
    const file = resolve(FIXTURES, "syntax-error.yaml");
    const error = await rejection(() => loadConfig(file, {}));
    expect(error.issues).toHaveLength(1);
    expect(error.message).toMatch(/syntax-error\.yaml: YAML syntax error at line \d+, column \d+: /);
    expect(error.message).not.toContain("top-secret-value");
  });

  it.each([
    ["missing-password-file.yaml", "upstream.auth.password_file", "does-not-exist: ENOENT"],
    ["empty-password-file.yaml", "upstream.auth.password_file", "secrets/empty is empty"],
    ["empty.yaml", "", "the file is empty"],
  ])("reports %s from a file", async (name, path, message) => {
    const error = await rejection(() => loadConfig(resolve(FIXTURES, name), {}));
    expect(error.issues).toEqual([{ path, message: expect.stringContaining(message) as unknown }]);
  });

  it("says clearly when the config file is missing", async () => {
    const error = await rejection(() => loadConfig(resolve(FIXTURES, "nope.yaml"), {}));
    expect(error.message).toContain(`cannot read config file ${resolve(FIXTURES, "nope.yaml")}: ENOENT: no such file or directory`);
  });

  it("never echoes a secret, wherever it ends up", async () => {
    const env = { LEAK: SECRET };
    const texts = [
      configText({ "upstream.auth.client_secret": { value: SECRET } }),
      configText({ "upstream.auth": { method: "session", username: "u", password: [SECRET] } }),
      configText({ "upstream.url": "https://u:${LEAK}@bp.example.com" }),
      configText({ "upstream.url": "https://bp.example.com/${LEAK}" }),
      configText({ "poll.interval": "${LEAK}", "upstream.timeout": "${LEAK}" }),
      configText({ "web.listen_address": "${LEAK}", "metrics.namespace": "${LEAK}-x" }),
      configText({ "upstream.column_key": "${LEAK}", [`${GRID}.order_dir`]: "${LEAK}", [`${GRID}.limit`]: "${LEAK}" }),
      `upstream:\n  auth:\n    client_secret: "${SECRET}\n`,
      `upstream:\n  auth: { client_secret: ${SECRET}, client_secret: ${SECRET} }\n`,
    ];
    for (const text of texts) {
      const error = await parseFailure(text, { env });
      expect(error.message).not.toContain(SECRET);
      expect(JSON.stringify(error.issues)).not.toContain(SECRET);
    }
  });
});
