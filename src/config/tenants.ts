// The tenants of a multi-tenant file, assembled: each gets the file's poll with its own overrides, and
// the file's web and metrics; names must be unique (they are the `tenant` label). Pure.
import { pollIssues } from "./schema.js";
import type { Config, ConfigIssue, MetricsConfig, PollConfig, SubscriptionConfig, TenantConfig, UpstreamConfig, WebConfig } from "./types.js";

/** A validated `tenants:` entry or tenants_dir file, with where it came from. */
export interface TenantEntry {
  name: string;
  /** `tenants[3]` or `tenants.d/acme.yaml`. */
  source: string;
  upstream: UpstreamConfig;
  subscription: SubscriptionConfig;
  poll?: Partial<PollConfig>;
}

/** Where an issue of a tenant goes: `tenants[3].poll.interval` or `tenants.d/acme.yaml: poll.interval`. */
export function tenantIssuePath(source: string, path: string): string {
  if (path === "") return source;
  return source.startsWith("tenants[") ? `${source}.${path}` : `${source}: ${path}`;
}
const at = tenantIssuePath;

export function assembleTenants(
  shared: { web: WebConfig; metrics: MetricsConfig; poll: PollConfig },
  entries: readonly TenantEntry[],
): { tenants: TenantConfig[]; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const firstSource = new Map<string, string>();
  const tenants: TenantConfig[] = [];
  for (const entry of entries) {
    const first = firstSource.get(entry.name);
    if (first !== undefined) {
      issues.push({ path: at(entry.source, "name"), message: `duplicate tenant name "${entry.name}" (already used by ${first})` });
      continue;
    }
    firstSource.set(entry.name, entry.source);
    const poll = { ...shared.poll, ...entry.poll };
    const pollProblems = entry.poll === undefined ? [] : pollIssues({ interval: poll.interval_ms, max_backoff: poll.max_backoff_ms, stale_after: poll.stale_after_ms });
    for (const problem of pollProblems) {
      const key = problem.path.join(".");
      // A rule broken by the file's value, not the tenant's own: say so.
      const own = `${key}_ms` in (entry.poll ?? {});
      issues.push({ path: at(entry.source, `poll.${key}`), message: own ? problem.message : `${problem.message} (this tenant's poll.interval with the file's poll.${key})` });
    }
    const config: Config = { upstream: entry.upstream, subscription: entry.subscription, poll, web: shared.web, metrics: shared.metrics };
    tenants.push({ name: entry.name, source: entry.source, config });
  }
  return { tenants, issues };
}
