// What a reload must redo, decided from the running and the new config. Pure.
import { isDeepStrictEqual } from "node:util";
import type { Config } from "../config/types.js";

export interface ReloadPlan {
  /** Upstream or poll settings changed: a new client and poll loop (new login, new subscription). */
  newPipeline: boolean;
  /** Only the subscription changed: the same session deletes it and subscribes again. */
  newSubscription: boolean;
  /** Settings read once at start (web.*, metrics.namespace): they wait for a restart. */
  needsRestart: boolean;
  /** The self-metrics keep their namespace until a restart, so the statistic families must keep it too. */
  keepNamespace: string | undefined;
}

/** The settings a whole file shares (with tenants: every tenant): read once at start. */
export function planSharedReload(
  before: Pick<Config, "web" | "metrics">,
  after: Pick<Config, "web" | "metrics">,
): Pick<ReloadPlan, "needsRestart" | "keepNamespace"> {
  const namespaceChanged = before.metrics.namespace !== after.metrics.namespace;
  return {
    needsRestart: namespaceChanged || !isDeepStrictEqual(before.web, after.web),
    keepNamespace: namespaceChanged ? before.metrics.namespace : undefined,
  };
}

/** For one pipeline (the single tenant, or one of several tenants). */
export function planReload(before: Config, after: Config): ReloadPlan {
  const newPipeline = !isDeepStrictEqual(before.upstream, after.upstream) || !isDeepStrictEqual(before.poll, after.poll);
  return {
    newPipeline,
    newSubscription: !newPipeline && !isDeepStrictEqual(before.subscription, after.subscription),
    ...planSharedReload(before, after),
  };
}
