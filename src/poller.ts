// The lifecycle of one upstream subscription: authenticate → subscribe → poll, with backoff between failures.
// One loop, so polls never overlap. Every decision about an upstream answer lives in `decide` (pure, tested alone).
import type { Logger } from "pino";
import type { PollConfig } from "./config/types.js";
import { safeError } from "./logger.js";
import { type ErrorReason, type StatsApiErrorCode, isStatsApiError, reasonOf } from "./statsapi/errors.js";
import type { SubscriptionRequest } from "./statsapi/types.js";

export type PollerState = "authenticating" | "subscribing" | "polling" | "backoff" | "stopping" | "stopped";
export const POLLER_STATES: readonly PollerState[] = ["authenticating", "subscribing", "polling", "backoff", "stopping", "stopped"];

/** What the poller needs of the Stats API client. */
export interface UpstreamSession {
  login(): Promise<void>;
  subscribe(body: SubscriptionRequest): Promise<void>;
  deleteSubscription(): Promise<void>;
  /** The raw data body, or null when the server answers 204 (not ready yet). */
  getDataText(): Promise<string | null>;
  logout(): Promise<void>;
  /**
   * A number that changes whenever the credentials change (each login, each planned token refresh), so the
   * poller can tell a subscription lost with an old token from one lost for another reason.
   */
  credentialsVersion(): number;
}

/** What the poller reports to the self-metrics. */
export interface PollerMetrics {
  setState(state: PollerState): void;
  setUp(up: boolean): void;
  loginSucceeded(): void;
  loginFailed(): void;
  subscriptionCreated(): void;
  error(reason: ErrorReason): void;
  pollDuration(seconds: number): void;
  dataServed(atMs: number, series: number, invalidValues: number): void;
  dataDropped(): void;
}

/** Turns a data body into served statistics (parse, map, render, swap). Returns what it served. */
export type DataSink = (body: string) => Promise<{ series: number; invalidValues: number }>;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface PollerOptions {
  upstream: UpstreamSession;
  subscription: SubscriptionRequest;
  sink: DataSink;
  /** Drops the served statistics (called once data is older than poll.stale_after). */
  dropStatistics: () => void;
  metrics: PollerMetrics;
  poll: PollConfig;
  logger: Logger;
  clock?: Clock;
  random?: () => number;
  /** Upper bound for the clean-up on stop (delete the subscription, log out). */
  stopTimeoutMs?: number;
}

export interface PollerStatus {
  state: PollerState;
  lastPollAt?: number;
  lastSuccessAt?: number;
  lastError?: { reason: ErrorReason; message: string; at: number };
  consecutiveFailures: number;
  /** True while served statistics are fresh (not older than stale_after). */
  fresh: boolean;
}

/** What to do after a failed step. `immediate` retries without waiting; `slow` waits the longest backoff. */
export interface FailurePlan {
  relogin: boolean;
  resubscribe: boolean;
  wait: "immediate" | "exponential" | "slow";
  /** False for an expected event (a 404 after a planned token change): neither an error nor `up` 0. */
  counts: boolean;
  /** The `reason` label when the poller reads more into the failure than its code (the same-user fight). */
  reason?: ErrorReason;
  /** The step of the exponential backoff, when it is not the number of failures in a row. */
  backoffStep?: number;
}

/** What the poller knows about the failures before this one (all counts exclude the failure being decided). */
export interface FailureContext {
  /** Failures in a row (0: the step before succeeded). */
  failuresBefore: number;
  /** 5xx answers in a row. */
  upstreamErrorsBefore: number;
  /** The credentials changed (a planned token refresh) since the subscription was created. */
  credentialsChanged: boolean;
  /** Data answers (200 or 204) the lost subscription gave before this failure. */
  pollsOnSubscription: number;
  /** Subscriptions in a row that were gone soon after good polls (see SHORT_LIVED_POLLS). */
  shortLivedBefore: number;
}

/** A subscription gone after at least one and fewer than this many good polls was taken, not expired. */
export const SHORT_LIVED_POLLS = 20;
/** The vendor's client logs in again on a 500; we do on every third 5xx in a row (a broken session, not a blip). */
export const REPAIR_AFTER_5XX = 3;

/** A fresh context: nothing failed before. */
export const NO_FAILURES: FailureContext = {
  failuresBefore: 0,
  upstreamErrorsBefore: 0,
  credentialsChanged: false,
  pollsOnSubscription: 0,
  shortLivedBefore: 0,
};

const SLOW: ReadonlySet<StatsApiErrorCode> = new Set(["BP_LOGIN_FORBIDDEN", "BP_BAD_REQUEST", "BP_FORBIDDEN"]);

/** A 404 that ends a subscription soon after good polls: someone else took it (or the server lost it). */
export function isShortLived(pollsOnSubscription: number): boolean {
  return pollsOnSubscription >= 1 && pollsOnSubscription < SHORT_LIVED_POLLS;
}

/**
 * The lifecycle table of design.md. A first 401/404 after good polls retries at once, while one right after a
 * fresh login/subscribe backs off (no hot loop against a broken upstream).
 */
export function decide(error: unknown, context: FailureContext): FailurePlan {
  const code = isStatsApiError(error) ? error.code : undefined;
  const first = context.failuresBefore === 0;
  const plan = (relogin: boolean, resubscribe: boolean, wait: FailurePlan["wait"]): FailurePlan => ({ relogin, resubscribe, wait, counts: true });
  switch (code) {
    case "BP_UNAUTHORIZED":
      return plan(true, true, first ? "immediate" : "exponential");
    case "BP_NO_SUBSCRIPTION":
      // The subscription went with the old token (servers that bind it to the token): planned, not an outage.
      if (context.credentialsChanged) return { ...plan(false, true, "immediate"), counts: false };
      // Gone again and again soon after good polls: another client with the same API user replaces it.
      if (isShortLived(context.pollsOnSubscription) && context.shortLivedBefore >= 1) {
        return { ...plan(false, true, "exponential"), reason: "shared_api_user", backoffStep: context.shortLivedBefore };
      }
      return plan(false, true, first ? "immediate" : "exponential");
    case "BP_LOGIN_REJECTED":
      return plan(true, true, "exponential");
    case "BP_REQUEST_TOO_LARGE":
      // Our request grew (cookies piling up): only a fresh session makes it small again.
      return plan(true, true, first ? "immediate" : "exponential");
    case "BP_UPSTREAM": {
      // A few 5xx in a row: the session may be broken; log in and subscribe again (with backoff).
      const repair = (context.upstreamErrorsBefore + 1) % REPAIR_AFTER_5XX === 0;
      return plan(repair, repair, "exponential");
    }
    default:
      // 403 (a missing privilege): log in again before the slow retry, a granted privilege may need a new session.
      if (code !== undefined && SLOW.has(code)) return plan(code !== "BP_BAD_REQUEST", true, "slow");
      // 409, timeouts, resets, malformed bodies: keep the session and subscription, try again later.
      return plan(false, false, "exponential");
  }
}

/** Exponential backoff from the poll interval, capped, with "equal jitter": half fixed, half random. */
export function backoffDelay(failures: number, poll: PollConfig, random: () => number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const capped = Math.min(poll.max_backoff_ms, poll.interval_ms * 2 ** exponent);
  return Math.round(capped / 2 + (random() * capped) / 2);
}

/** A human sentence for the log line of each kind of failure. */
function describe(error: unknown): string {
  if (!isStatsApiError(error)) return "internal error";
  switch (error.code) {
    case "BP_LOGIN_REJECTED":
      return "login rejected: check the credentials";
    case "BP_LOGIN_FORBIDDEN":
      return "this server refuses session login: use auth.method oauth";
    case "BP_BAD_REQUEST":
      return "the server rejected the subscription: the config is wrong";
    case "BP_SUBSCRIPTION_LIMIT":
      return "the tenant's limit of active subscriptions is reached: stop another client or wait";
    case "BP_UNAUTHORIZED":
      return "session or token expired: logging in again";
    case "BP_NO_SUBSCRIPTION":
      return "the subscription is gone: subscribing again";
    case "BP_FORBIDDEN":
      return "the API user lacks a privilege: grant it (see the message), then it logs in again by itself";
    case "BP_REQUEST_TOO_LARGE":
      return "the upstream refused our request as too large (cookies piling up?): starting a fresh session";
    default:
      return "upstream call failed";
  }
}

const SHARED_API_USER =
  "another client uses the same API user: its subscription replaces ours and ours replaces its (one subscription per user); " +
  "give this exporter an API user of its own. Backing off meanwhile";

export class Poller {
  private readonly clock: Clock;
  private readonly random: () => number;
  private state: PollerState = "authenticating";
  private loggedIn = false;
  private subscribed = false;
  private subscription: SubscriptionRequest;
  private consecutiveFailures = 0;
  private consecutiveUpstreamErrors = 0;
  /** The credentials the subscription was created with, and the data answers it has given since. */
  private subscribedWith: number | undefined;
  private pollsOnSubscription = 0;
  private shortLivedSubscriptions = 0;
  /** The same-user fight is logged once, until a subscription lives long again. */
  private fightLogged = false;
  private lastLoggedReason: ErrorReason | undefined;
  private lastPollAt: number | undefined;
  private lastSuccessAt: number | undefined;
  private lastError: PollerStatus["lastError"];
  private fresh = false;
  private staleTimer: unknown;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private stopped: Promise<void> | undefined;

  constructor(private readonly options: PollerOptions) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.subscription = options.subscription;
  }

  start(): void {
    if (this.loop || this.stopping) return; // one loop, and none once stopped
    this.setState("authenticating");
    this.loop = this.run();
  }

  status(): PollerStatus {
    return {
      state: this.state,
      lastPollAt: this.lastPollAt,
      lastSuccessAt: this.lastSuccessAt,
      lastError: this.lastError,
      consecutiveFailures: this.consecutiveFailures,
      fresh: this.fresh,
    };
  }

  /** Uses a new subscription body from the next poll on: the old subscription is deleted and the new one created. */
  replaceSubscription(subscription: SubscriptionRequest): void {
    this.subscription = subscription;
    this.subscribed = false;
    this.wake?.();
  }

  /**
   * Ends the loop (an in-flight request may finish within half the stop budget), then deletes the active
   * subscription and logs out within the other half. Never throws.
   */
  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  private async shutdown(): Promise<void> {
    this.stopping = true;
    this.setState("stopping");
    this.clock.clearTimeout(this.staleTimer);
    this.wake?.();
    const budget = this.options.stopTimeoutMs ?? 5_000;
    const { logger, upstream } = this.options;
    await this.within(this.loop ?? Promise.resolve(), budget / 2);
    if (this.loggedIn) {
      const cleanUp = (async () => {
        await upstream.deleteSubscription();
        await upstream.logout();
      })();
      try {
        if ((await this.within(cleanUp, budget / 2)) === "timeout") {
          logger.warn({ budget_ms: budget }, "clean-up on stop took too long: the upstream subscription may outlive us");
        } else {
          logger.info("deleted the upstream subscription");
        }
      } catch (error) {
        logger.warn({ err: safeError(error) }, "clean-up on stop failed: the upstream subscription may outlive us");
      }
    }
    this.setState("stopped");
  }

  /** Waits for `work` at most `ms`; rejections of `work` are passed on. */
  private async within(work: Promise<unknown>, ms: number): Promise<"done" | "timeout"> {
    let timer: unknown;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = this.clock.setTimeout(() => resolve("timeout"), ms);
    });
    try {
      return await Promise.race([work.then(() => "done" as const), timeout]);
    } finally {
      this.clock.clearTimeout(timer);
    }
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const started = this.clock.now();
      let wait: number;
      try {
        await this.step();
        wait = Math.max(0, this.options.poll.interval_ms - (this.clock.now() - started));
      } catch (error) {
        wait = this.onFailure(error);
      }
      if (this.stopping) break;
      if (wait > 0) await this.sleep(wait);
    }
  }

  /** One pass: log in and subscribe when needed, then fetch the data once. */
  private async step(): Promise<void> {
    const { upstream } = this.options;
    if (!this.loggedIn) {
      this.setState("authenticating");
      try {
        await upstream.login();
      } catch (error) {
        this.options.metrics.loginFailed();
        throw error;
      }
      this.options.metrics.loginSucceeded();
      this.loggedIn = true;
      this.subscribed = false;
    }
    if (!this.subscribed) {
      this.setState("subscribing");
      // Real clients delete whatever is active first; its answer does not matter.
      await upstream.deleteSubscription().catch(() => undefined);
      await upstream.subscribe(this.subscription);
      this.subscribed = true;
      this.subscribedWith = upstream.credentialsVersion();
      this.pollsOnSubscription = 0;
      this.options.metrics.subscriptionCreated();
      this.options.logger.info({ apps: Object.keys(this.subscription) }, "subscribed");
    }
    if (this.stopping) return;
    this.setState("polling");
    const started = this.clock.now();
    const body = await upstream.getDataText();
    this.lastPollAt = this.clock.now();
    this.pollsOnSubscription += 1;
    if (this.pollsOnSubscription >= SHORT_LIVED_POLLS) {
      // A subscription that lives this long is ours again: the fight (if any) is over.
      this.shortLivedSubscriptions = 0;
      this.fightLogged = false;
    }
    if (body !== null) {
      const served = await this.options.sink(body);
      this.lastSuccessAt = this.clock.now();
      this.markFresh();
      this.options.metrics.dataServed(this.lastSuccessAt, served.series, served.invalidValues);
    }
    this.options.metrics.pollDuration((this.clock.now() - started) / 1000);
    // A 204 (not ready) says the upstream is fine but serves nothing: up only while what we serve is fresh.
    this.options.metrics.setUp(body !== null || this.fresh);
    if (this.consecutiveFailures > 0) {
      // Between rounds of the same-user fight, "recovered" would be noise: that was logged once, with the fix.
      const level = this.lastError?.reason === "shared_api_user" ? "debug" : "info";
      this.options.logger[level]({ after_failures: this.consecutiveFailures }, "upstream recovered");
    }
    this.consecutiveFailures = 0;
    this.consecutiveUpstreamErrors = 0;
    this.lastLoggedReason = undefined;
  }

  /** What decide() needs to know about the failures before this one. */
  private context(): FailureContext {
    return {
      failuresBefore: this.consecutiveFailures,
      upstreamErrorsBefore: this.consecutiveUpstreamErrors,
      credentialsChanged: this.subscribedWith !== undefined && this.subscribedWith !== this.options.upstream.credentialsVersion(),
      pollsOnSubscription: this.pollsOnSubscription,
      shortLivedBefore: this.shortLivedSubscriptions,
    };
  }

  /** Counts and logs a failure (each kind once until recovery), and returns how long to wait. */
  private onFailure(error: unknown): number {
    const context = this.context();
    const plan = decide(error, context);
    const code = isStatsApiError(error) ? error.code : undefined;
    this.consecutiveUpstreamErrors = code === "BP_UPSTREAM" ? this.consecutiveUpstreamErrors + 1 : 0;
    if (code === "BP_NO_SUBSCRIPTION" && !context.credentialsChanged && isShortLived(context.pollsOnSubscription)) {
      this.shortLivedSubscriptions += 1;
    }
    if (plan.relogin) this.loggedIn = false;
    if (plan.relogin || plan.resubscribe) {
      this.subscribed = false;
      this.subscribedWith = undefined;
    }
    if (!plan.counts) {
      this.options.logger.info({ err: safeError(error) }, "the subscription went with the old token: subscribing again");
      return 0;
    }
    this.consecutiveFailures += 1;
    const reason = plan.reason ?? reasonOf(error);
    const at = this.clock.now();
    this.lastPollAt = at;
    this.lastError = { reason, message: error instanceof Error ? error.message : String(error), at };
    this.options.metrics.error(reason);
    this.options.metrics.setUp(false);

    const wait =
      plan.wait === "immediate"
        ? 0
        : plan.wait === "slow"
          ? this.options.poll.max_backoff_ms
          : backoffDelay(plan.backoffStep ?? this.consecutiveFailures, this.options.poll, this.random);
    const fields = { reason, status: isStatsApiError(error) ? error.status : undefined, retry_in_ms: wait, err: safeError(error) };
    if (isStatsApiError(error) && error.code === "BP_BAD_REQUEST") {
      Object.assign(fields, { error_code: error.errorCode, error_message: error.errorMessage });
    }
    const { logger } = this.options;
    if (reason === "shared_api_user") {
      if (!this.fightLogged) logger.warn(fields, SHARED_API_USER);
      else logger.debug(fields, SHARED_API_USER);
      this.fightLogged = true;
    } else if (reason !== this.lastLoggedReason) logger[reason === "internal" ? "error" : "warn"](fields, describe(error));
    else logger.debug(fields, describe(error));
    if (code === "BP_UPSTREAM" && plan.relogin) {
      logger.warn({ upstream_errors: this.consecutiveUpstreamErrors, retry_in_ms: wait }, "5xx again and again: the session may be broken, logging in again");
    }
    this.lastLoggedReason = reason;
    if (wait > 0) this.setState("backoff");
    return wait;
  }

  private markFresh(): void {
    if (this.stopping) return; // a poll ending during stop must not re-arm the stale timer (it would hold the process open)
    this.fresh = true;
    this.clock.clearTimeout(this.staleTimer);
    this.staleTimer = this.clock.setTimeout(() => {
      this.fresh = false;
      this.options.dropStatistics();
      this.options.metrics.dataDropped();
      this.options.logger.warn({ stale_after_ms: this.options.poll.stale_after_ms }, "no fresh data: dropped the statistic series");
    }, this.options.poll.stale_after_ms);
  }

  /** Sleeps `ms`, or less when woken by stop() or replaceSubscription(). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.clock.clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = this.clock.setTimeout(done, ms);
      this.wake = done;
    });
  }

  private setState(state: PollerState): void {
    this.state = state;
    this.options.metrics.setState(state);
  }
}
