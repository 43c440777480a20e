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
}

const SLOW: ReadonlySet<StatsApiErrorCode> = new Set(["BP_LOGIN_FORBIDDEN", "BP_BAD_REQUEST"]);

/**
 * The lifecycle table of design.md. `isFirstFailure` lets a 401/404 after good polls retry at once,
 * while a 401/404 right after a fresh login/subscribe backs off (no hot loop against a broken upstream).
 */
export function decide(error: unknown, isFirstFailure: boolean): FailurePlan {
  const code = isStatsApiError(error) ? error.code : undefined;
  switch (code) {
    case "BP_UNAUTHORIZED":
      return { relogin: true, resubscribe: true, wait: isFirstFailure ? "immediate" : "exponential" };
    case "BP_NO_SUBSCRIPTION":
      return { relogin: false, resubscribe: true, wait: isFirstFailure ? "immediate" : "exponential" };
    case "BP_LOGIN_REJECTED":
      return { relogin: true, resubscribe: true, wait: "exponential" };
    default:
      if (code !== undefined && SLOW.has(code)) return { relogin: code === "BP_LOGIN_FORBIDDEN", resubscribe: true, wait: "slow" };
      // 409, 5xx, timeouts, resets, malformed bodies: keep the session and subscription, try again later.
      return { relogin: false, resubscribe: false, wait: "exponential" };
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
    default:
      return "upstream call failed";
  }
}

export class Poller {
  private readonly clock: Clock;
  private readonly random: () => number;
  private state: PollerState = "authenticating";
  private loggedIn = false;
  private subscribed = false;
  private subscription: SubscriptionRequest;
  private consecutiveFailures = 0;
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
      this.options.metrics.subscriptionCreated();
      this.options.logger.info({ apps: Object.keys(this.subscription) }, "subscribed");
    }
    if (this.stopping) return;
    this.setState("polling");
    const started = this.clock.now();
    const body = await upstream.getDataText();
    this.lastPollAt = this.clock.now();
    if (body !== null) {
      const served = await this.options.sink(body);
      this.lastSuccessAt = this.clock.now();
      this.markFresh();
      this.options.metrics.dataServed(this.lastSuccessAt, served.series, served.invalidValues);
    }
    this.options.metrics.pollDuration((this.clock.now() - started) / 1000);
    // A 204 (not ready) says the upstream is fine but serves nothing: up only while what we serve is fresh.
    this.options.metrics.setUp(body !== null || this.fresh);
    if (this.consecutiveFailures > 0) this.options.logger.info({ after_failures: this.consecutiveFailures }, "upstream recovered");
    this.consecutiveFailures = 0;
    this.lastLoggedReason = undefined;
  }

  /** Counts and logs a failure (each kind once until recovery), and returns how long to wait. */
  private onFailure(error: unknown): number {
    const plan = decide(error, this.consecutiveFailures === 0);
    this.consecutiveFailures += 1;
    const reason = reasonOf(error);
    const at = this.clock.now();
    this.lastPollAt = at;
    this.lastError = { reason, message: error instanceof Error ? error.message : String(error), at };
    this.options.metrics.error(reason);
    this.options.metrics.setUp(false);
    if (plan.relogin) this.loggedIn = false;
    if (plan.relogin || plan.resubscribe) this.subscribed = false;

    const wait =
      plan.wait === "immediate"
        ? 0
        : plan.wait === "slow"
          ? this.options.poll.max_backoff_ms
          : backoffDelay(this.consecutiveFailures, this.options.poll, this.random);
    const fields = { reason, status: isStatsApiError(error) ? error.status : undefined, retry_in_ms: wait, err: safeError(error) };
    if (isStatsApiError(error) && error.code === "BP_BAD_REQUEST") {
      Object.assign(fields, { error_code: error.errorCode, error_message: error.errorMessage });
    }
    if (reason !== this.lastLoggedReason) this.options.logger[reason === "internal" ? "error" : "warn"](fields, describe(error));
    else this.options.logger.debug(fields, describe(error));
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
