// The zod schema: validates the (env-expanded) YAML tree and normalises it into `Config`.
// Cross-field checks of the subscription live in cross-checks.ts, so they run even where zod fails.
import { z } from "zod";
import { DURATION_EXPECTED, parseDuration } from "./duration.js";
import { type GridKind, keyColumnOf } from "./grid-kinds.js";
import { LISTEN_ADDRESS_EXPECTED, parseListenAddress } from "./listen-address.js";
import type { FileAccess } from "./secrets.js";
import { stripTrailingNewlines } from "./secrets.js";
import type { Config, GridConfig } from "./types.js";
import { checkUpstreamUrl } from "./upstream-url.js";

export const DEFAULT_TOKEN_PATH = "/configapi/v2/oauth/token";
const RESERVED_PATHS = new Set(["/", "/healthz", "/readyz", "/-/reload"]);

type Ctx = z.core.$RefinementCtx;

function fail(ctx: Ctx, message: string, path: PropertyKey[] = []): typeof z.NEVER {
  ctx.issues.push({ code: "custom", message, input: undefined, path });
  return z.NEVER;
}

const nonEmpty = z.string().min(1);
const stringList = z.array(nonEmpty);
/** Ids are strings upstream; a YAML number (`id: 1`) is taken as its text. */
const idString = z.preprocess((v) => (typeof v === "number" ? String(v) : v), nonEmpty);

const duration = z.unknown().transform((value, ctx) => {
  const ms = parseDuration(value);
  return ms === undefined ? fail(ctx, `expected ${DURATION_EXPECTED}`) : ms;
});

/** A whole number >= 1; a numeric string ("50", as the seed writes limits) counts. */
const count = z.preprocess(
  (v) => (typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
  z.number({ error: "expected a whole number >= 1" }).int("expected a whole number >= 1").min(1, "expected a whole number >= 1"),
);

function upperEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess((v) => (typeof v === "string" ? v.toUpperCase() : v), z.enum(values));
}

const percentScale = z.literal([1, 100]);

const mappingShape = {
  type: z.enum(["number", "duration", "percent", "timestamp", "state", "label"]).optional(),
  metric: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, "expected a metric name part matching [a-z_][a-z0-9_]*")
    .optional(),
  label: z
    .string()
    .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "expected a label name matching [a-zA-Z_][a-zA-Z0-9_]*")
    .refine((s) => !s.startsWith("__"), "label names starting with __ are reserved by Prometheus")
    .optional(),
  percent_scale: percentScale.optional(),
};

/** A total is a statistic name, or an object with the name and its metric mapping. */
const total = z.preprocess(
  (v) => (typeof v === "string" ? { stat_name: v } : v),
  z.strictObject(
    { stat_name: nonEmpty, ...mappingShape },
    {
      error: (iss) =>
        iss.code === "invalid_type" ? "expected a statistic name or { stat_name, type?, metric?, label?, percent_scale? }" : undefined,
    },
  ),
);

const column = z.strictObject({
  id: idString,
  stat_name: nonEmpty,
  sum_stat_names: stringList.optional(),
  dispositions: stringList.optional(),
  ...mappingShape,
});

const gridShape = {
  id: idString,
  columns: z.array(column).min(1, "expected at least one column"),
  order_by: idString.optional(),
  order_dir: upperEnum(["ASC", "DESC"]).optional(),
  limit: count.optional(),
  filter_by: idString.optional(),
  filter_value: z.preprocess((v) => (typeof v === "number" ? String(v) : v), z.string()).optional(),
  filter_operation: upperEnum(["EQ", "NE", "LT", "GT", "LE", "GE"]).optional(),
  key: idString.optional(),
};

/** Unknown grid keys (team_ids, service_ids, order, ...) pass through to the API in `extra`. */
function grid(kind: GridKind) {
  return z.looseObject(gridShape).transform((input): GridConfig => {
    const { id, columns, key, order_by, order_dir, limit, filter_by, filter_value, filter_operation, ...extra } = input;
    return {
      id,
      columns,
      ...definedOnly({ order_by, order_dir, limit, filter_by, filter_value, filter_operation }),
      // A missing default key is reported by cross-checks.ts; "" never reaches a valid Config.
      key: keyColumnOf(kind, { key, columns }) ?? "",
      extra,
    };
  });
}

function definedOnly<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const app = z.strictObject({
  app_id: idString,
  stats_totals: z.array(total).default([]),
  stats_totals_service_ids: stringList.optional(),
  stats_totals_dispositions: stringList.optional(),
  service_grids: z.array(grid("service_grids")).default([]),
  agent_grids: z.array(grid("agent_grids")).default([]),
  chat_messages: z.strictObject({ filter: z.string().optional(), limit: count.default(10) }).optional(),
});

export function createConfigSchema(files: FileAccess) {
  /** Exactly one of an inline secret and a secret file; the file is read now. The value is never echoed. */
  async function secret(ctx: Ctx, inline: string | undefined, file: string | undefined, names: [string, string]) {
    const [inlineKey, fileKey] = names;
    if (inline !== undefined && file !== undefined) return fail(ctx, `set only one of ${inlineKey} and ${fileKey}`, [inlineKey]);
    if (inline !== undefined) return inline === "" ? fail(ctx, "must not be empty", [inlineKey]) : inline;
    if (file === undefined) return fail(ctx, `required: set ${inlineKey} or ${fileKey}`, [inlineKey]);
    const path = files.resolve(file);
    const read = await files.read(path);
    if ("reason" in read) return fail(ctx, `cannot read ${path}: ${read.reason}`, [fileKey]);
    const text = stripTrailingNewlines(read.text);
    return text === "" ? fail(ctx, `${path} is empty`, [fileKey]) : text;
  }

  const oauth = z
    .strictObject({
      method: z.literal("oauth"),
      client_id: nonEmpty,
      client_secret: z.string().optional(),
      client_secret_file: nonEmpty.optional(),
      token_path: z.string().startsWith("/", 'expected a path starting with "/"').default(DEFAULT_TOKEN_PATH),
    })
    .transform(async (a, ctx) => ({
      method: a.method,
      client_id: a.client_id,
      client_secret: await secret(ctx, a.client_secret, a.client_secret_file, ["client_secret", "client_secret_file"]),
      token_path: a.token_path,
    }));

  const session = z
    .strictObject({
      method: z.literal("session"),
      username: nonEmpty,
      password: z.string().optional(),
      password_file: nonEmpty.optional(),
    })
    .transform(async (a, ctx) => ({
      method: a.method,
      username: a.username,
      password: await secret(ctx, a.password, a.password_file, ["password", "password_file"]),
    }));

  // oauth is the default method.
  const auth = z.preprocess(
    (v) => (v !== null && typeof v === "object" && !Array.isArray(v) && !("method" in v) ? { method: "oauth", ...v } : v),
    z.discriminatedUnion("method", [oauth, session]),
  );

  const tls = z
    .strictObject({ ca_file: nonEmpty.optional(), insecure_skip_verify: z.boolean().default(false) })
    .transform(async (t, ctx) => {
      if (t.ca_file === undefined) return { insecure_skip_verify: t.insecure_skip_verify };
      const path = files.resolve(t.ca_file);
      const read = await files.read(path);
      if ("reason" in read) return fail(ctx, `cannot read ${path}: ${read.reason}`, ["ca_file"]);
      return { ca_file: path, ca: read.text, insecure_skip_verify: t.insecure_skip_verify };
    });

  const upstream = z
    .strictObject({
      url: z.string().transform((text, ctx) => {
        const checked = checkUpstreamUrl(text);
        return "origin" in checked ? checked.origin : fail(ctx, checked.message);
      }),
      tenant_url: nonEmpty,
      timeout: duration.default(10_000),
      column_key: z.enum(["stat_name", "statName"]).default("stat_name"),
      tls: tls.prefault({}),
      auth,
    })
    .superRefine((u, ctx) => {
      if (u.timeout === 0) ctx.addIssue({ code: "custom", message: "must be greater than 0", path: ["timeout"] });
    })
    .transform(({ timeout, ...rest }) => ({ ...rest, timeout_ms: timeout }));

  const poll = z
    .strictObject({
      interval: duration.default(3_000),
      max_backoff: duration.default(60_000),
      stale_after: duration.default(30_000),
    })
    .superRefine((p, ctx) => {
      for (const issue of pollIssues(p)) ctx.addIssue({ code: "custom", ...issue });
    })
    .transform((p) => ({ interval_ms: p.interval, max_backoff_ms: p.max_backoff, stale_after_ms: p.stale_after }));

  /** A tenant's `poll:` overrides the file's: only the keys it sets (merged and checked in tenants.ts). */
  const pollOverride = z
    .strictObject({ interval: duration.optional(), max_backoff: duration.optional(), stale_after: duration.optional() })
    .superRefine((p, ctx) => {
      if (p.interval !== undefined && p.interval < 100) ctx.addIssue({ code: "custom", message: "must be at least 100ms", path: ["interval"] });
    })
    .transform((p) => definedOnly({ interval_ms: p.interval, max_backoff_ms: p.max_backoff, stale_after_ms: p.stale_after }));

  const web = z
    .strictObject({
      listen_address: z
        .string()
        .refine((s) => parseListenAddress(s) !== undefined, LISTEN_ADDRESS_EXPECTED)
        .default(":9737"),
      metrics_path: z
        .string()
        .startsWith("/", 'expected a path starting with "/"')
        .refine((s) => !RESERVED_PATHS.has(s), `must not be one of the exporter's own paths (${[...RESERVED_PATHS].join(", ")})`)
        .default("/metrics"),
      config_file: nonEmpty.optional(),
      // POST /-/reload, off by default as Prometheus' --web.enable-lifecycle: anyone reaching the port could use it.
      enable_lifecycle: z.boolean().default(false),
    })
    .transform((w) => (w.config_file === undefined ? w : { ...w, config_file: files.resolve(w.config_file) }));

  const metrics = z.strictObject({
    namespace: z
      .string()
      .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "expected a metric namespace matching [a-zA-Z_][a-zA-Z0-9_]*")
      .default("brightpattern"),
    max_label_length: z.number().int().min(16).default(256),
    // Past these the exporter serves what fits and counts the rest (docs/limits.md): an upstream sending a
    // huge grid must not take the process's memory.
    max_series: z.number().int().min(1).default(250_000),
    max_grid_rows: z.number().int().min(1).default(10_000),
    percent_scale: z.strictObject({ totals: percentScale.default(1), grids: percentScale.default(100) }).prefault({}),
    // agent_info: today's dashboards read the reason there; own_families: no agent_info churn (see README).
    volatile_labels: z.enum(["agent_info", "own_families"]).default("own_families"),
  });

  const subscription = z.strictObject({ apps: z.array(app).min(1, "expected at least one app") });

  const tenantShape = { name: tenantName, upstream, subscription, poll: pollOverride.optional() };
  const withTenants = "not allowed next to tenants or tenants_dir: each tenant has its own upstream and subscription";
  const onlyWithoutTenants = z.undefined({ error: withTenants }).optional();

  return {
    /** The single-tenant form: exactly today's file. */
    single: z.strictObject({
      upstream,
      poll: poll.prefault({}),
      web: web.prefault({}),
      metrics: metrics.prefault({}),
      subscription,
    }),
    /** The multi-tenant form: shared poll, web and metrics; the tenants in a list and/or a directory. */
    tenants: z.strictObject({
      upstream: onlyWithoutTenants,
      subscription: onlyWithoutTenants,
      poll: poll.prefault({}),
      web: web.prefault({}),
      metrics: metrics.prefault({}),
      tenants: z.array(z.strictObject(tenantShape)).min(1, "expected at least one tenant").optional(),
      tenants_dir: nonEmpty.transform((dir) => files.resolve(dir)).optional(),
    }),
    /** One file of tenants_dir: a tenant whose name defaults to the file's name. */
    tenantFile: z.strictObject({ ...tenantShape, name: tenantName.optional() }),
  };
}

/** A tenant name is a label value, a URL query value and a file name: kept to a safe alphabet. */
export const TENANT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const TENANT_NAME_RULE = "up to 128 letters, digits, '.', '_' or '-', starting with a letter or digit";
const tenantName = z.string().regex(TENANT_NAME, `expected a tenant name: ${TENANT_NAME_RULE}`);

/** The rules between poll settings, for the file's `poll` and for each tenant's merged one. */
export function pollIssues(p: { interval: number; max_backoff: number; stale_after: number }): { message: string; path: string[] }[] {
  const issues: { message: string; path: string[] }[] = [];
  if (p.interval < 100) issues.push({ message: "must be at least 100ms", path: ["interval"] });
  if (p.max_backoff < p.interval) issues.push({ message: "must be at least poll.interval", path: ["max_backoff"] });
  if (p.stale_after <= p.interval) issues.push({ message: "must be greater than poll.interval", path: ["stale_after"] });
  return issues;
}

export type ConfigSchemas = ReturnType<typeof createConfigSchema>;

// Compile-time checks: what the schemas produce is a Config, and a tenant's settings are a Config's.
type Expect<T extends true> = T;
export type SchemaOutputIsConfig = Expect<z.output<ConfigSchemas["single"]> extends Config ? true : false>;
export type TenantOutputIsTenant = Expect<
  z.output<ConfigSchemas["tenantFile"]> extends Pick<Config, "upstream" | "subscription"> & { name?: string } ? true : false
>;
