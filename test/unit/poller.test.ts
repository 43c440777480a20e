import pino from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  NO_FAILURES,
  POLLER_STATES,
  type PollerMetrics,
  type PollerState,
  SHORT_LIVED_POLLS,
  type UpstreamSession,
  Poller,
  backoffDelay,
  decide,
} from "../../src/poller.js";
import { StatsApiError, type StatsApiErrorCode } from "../../src/statsapi/errors.js";
import type { SubscriptionRequest } from "../../src/statsapi/types.js";

const poll = { interval_ms: 1_000, max_backoff_ms: 16_000, stale_after_ms: 5_000 };

function apiError(code: StatsApiErrorCode, status?: number): StatsApiError {
  return new StatsApiError(code, "test", { operation: "GET /statsapi/subscription/data", status });
}

type Answer = string | null | StatsApiError;

/** An upstream whose data answers are scripted; it records every call in order. */
class ScriptedUpstream implements UpstreamSession {
  calls: string[] = [];
  dataAnswers: Answer[] = [];
  loginAnswers: (StatsApiError | undefined)[] = [];
  subscribeAnswers: (StatsApiError | undefined)[] = [];

  async login() {
    this.calls.push("login");
    const answer = this.loginAnswers.shift();
    if (answer) throw answer;
    this.version += 1;
  }
  async subscribe(_body: SubscriptionRequest) {
    this.calls.push("subscribe");
    const answer = this.subscribeAnswers.shift();
    if (answer) throw answer;
  }
  async deleteSubscription() {
    this.calls.push("delete");
  }
  async logout() {
    this.calls.push("logout");
  }
  version = 0;
  credentialsVersion() {
    return this.version;
  }
  async getDataText() {
    this.calls.push("data");
    const answer = this.dataAnswers.length > 0 ? this.dataAnswers.shift()! : "{}";
    if (answer instanceof StatsApiError) throw answer;
    return answer;
  }
}

class RecordingMetrics implements PollerMetrics {
  states: PollerState[] = [];
  up: boolean | undefined;
  logins = { success: 0, failure: 0 };
  subscriptions = 0;
  errors: string[] = [];
  served = 0;
  servedAt: number[] = [];
  durations: number[] = [];
  dropped = 0;
  setState(state: PollerState) {
    this.states.push(state);
  }
  setUp(up: boolean) {
    this.up = up;
  }
  loginSucceeded() {
    this.logins.success += 1;
  }
  loginFailed() {
    this.logins.failure += 1;
  }
  subscriptionCreated() {
    this.subscriptions += 1;
  }
  error(reason: string) {
    this.errors.push(reason);
  }
  pollDuration(seconds: number) {
    this.durations.push(seconds);
  }
  dataServed(atMs: number) {
    this.served += 1;
    this.servedAt.push(atMs);
  }
  dataDropped() {
    this.dropped += 1;
  }
}

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}
const WARN = 40;
const ERROR = 50;

function setup(options: { stopTimeoutMs?: number; sink?: (body: string) => Promise<{ series: number; invalidValues: number }> } = {}) {
  const upstream = new ScriptedUpstream();
  const metrics = new RecordingMetrics();
  const bodies: string[] = [];
  const logs: LogLine[] = [];
  let drops = 0;
  const poller = new Poller({
    upstream,
    subscription: { wallboard: { stats_totals: ["in_calls_waiting"] } },
    sink:
      options.sink ??
      (async (body) => {
        bodies.push(body);
        return { series: 1, invalidValues: 0 };
      }),
    dropStatistics: () => {
      drops += 1;
    },
    metrics,
    poll,
    logger: pino({ level: "debug" }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) }),
    random: () => 1, // jitter at its maximum: the delay equals the capped exponential
    ...(options.stopTimeoutMs === undefined ? {} : { stopTimeoutMs: options.stopTimeoutMs }),
  });
  const logged = (text: string) => logs.filter((line) => line.msg.includes(text));
  return { upstream, metrics, bodies, poller, logs, logged, drops: () => drops };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("Poller lifecycle", () => {
  it("logs in, deletes any active subscription, subscribes, then polls every interval", async () => {
    const { upstream, metrics, bodies, poller } = setup();
    upstream.dataAnswers = ['{"a":1}', '{"a":2}'];
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(upstream.calls).toEqual(["login", "delete", "subscribe", "data"]);
    expect(bodies).toEqual(['{"a":1}']);
    expect(metrics.up).toBe(true);
    await vi.advanceTimersByTimeAsync(999);
    expect(upstream.calls.filter((c) => c === "data")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(bodies).toEqual(['{"a":1}', '{"a":2}']);
    expect(metrics.subscriptions).toBe(1);
    expect(metrics.logins).toEqual({ success: 1, failure: 0 });
    await poller.stop();
  });

  it("treats 204 as not ready: keeps polling, no error, nothing served", async () => {
    const { upstream, metrics, bodies, poller } = setup();
    upstream.dataAnswers = [null, null, '{"ready":true}'];
    poller.start();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(bodies).toEqual(['{"ready":true}']);
    expect(metrics.errors).toEqual([]);
    expect(metrics.up).toBe(true);
    await poller.stop();
  });

  it("reports up 0 on 204 while nothing fresh is served (before the first data, and once data went stale)", async () => {
    const { upstream, metrics, poller } = setup();
    upstream.dataAnswers = [null, '{"a":1}', ...Array<null>(10).fill(null)];
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(metrics.up).toBe(false);
    expect(metrics.errors).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(metrics.up).toBe(true);
    await vi.advanceTimersByTimeAsync(3_000); // 204s within stale_after keep the last values, and up
    expect(metrics.up).toBe(true);
    await vi.advanceTimersByTimeAsync(3_000); // stale_after passed: the next 204 serves nothing fresh
    expect(metrics.dropped).toBe(1);
    expect(metrics.up).toBe(false);
    expect(metrics.errors).toEqual([]);
    await poller.stop();
  });

  it("on 401 logs in and subscribes again at once, and backs off if it happens again right away", async () => {
    const { upstream, metrics, poller } = setup();
    upstream.dataAnswers = ["{}", apiError("BP_UNAUTHORIZED", 401), apiError("BP_UNAUTHORIZED", 401), "{}"];
    poller.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(upstream.calls).toEqual(["login", "delete", "subscribe", "data", "data", "login", "delete", "subscribe", "data"]);
    expect(metrics.errors).toEqual(["unauthorized", "unauthorized"]);
    expect(metrics.up).toBe(false);
    // second failure in a row: backoff of interval * 2^(2-1) = 2 s before trying again
    await vi.advanceTimersByTimeAsync(1_999);
    expect(upstream.calls.filter((c) => c === "login")).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(upstream.calls.filter((c) => c === "login")).toHaveLength(3);
    expect(metrics.up).toBe(true);
    await poller.stop();
  });

  it("on 404 subscribes again without logging in", async () => {
    const { upstream, metrics, poller } = setup();
    upstream.dataAnswers = ["{}", apiError("BP_NO_SUBSCRIPTION", 404), "{}"];
    poller.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(upstream.calls).toEqual(["login", "delete", "subscribe", "data", "data", "delete", "subscribe", "data"]);
    expect(metrics.errors).toEqual(["no_subscription"]);
    expect(metrics.subscriptions).toBe(2);
    await poller.stop();
  });

  it("on 409 backs off exponentially with jitter and keeps the session", async () => {
    const { upstream, metrics, poller } = setup();
    const limit = apiError("BP_SUBSCRIPTION_LIMIT", 409);
    upstream.subscribeAnswers = [limit, limit, limit];
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(upstream.calls).toEqual(["login", "delete", "subscribe"]);
    await vi.advanceTimersByTimeAsync(1_000); // 1st backoff: 1 s
    await vi.advanceTimersByTimeAsync(2_000); // 2nd: 2 s
    await vi.advanceTimersByTimeAsync(4_000); // 3rd: 4 s, then subscribe succeeds
    expect(upstream.calls).toEqual(["login", "delete", "subscribe", "delete", "subscribe", "delete", "subscribe", "delete", "subscribe", "data"]);
    expect(metrics.errors).toEqual(["subscription_limit", "subscription_limit", "subscription_limit"]);
    expect(metrics.states).toContain("backoff");
    await poller.stop();
  });

  it("on 400 at subscribe waits the longest backoff before trying again", async () => {
    const { upstream, metrics, poller } = setup();
    upstream.subscribeAnswers = [apiError("BP_BAD_REQUEST", 400)];
    poller.start();
    await vi.advanceTimersByTimeAsync(15_999);
    expect(upstream.calls.filter((c) => c === "subscribe")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(upstream.calls.filter((c) => c === "subscribe")).toHaveLength(2);
    expect(metrics.errors).toEqual(["bad_request"]);
    await poller.stop();
  });

  it("on login 401 counts a failed login, reports up 0 and backs off", async () => {
    const { upstream, metrics, poller } = setup();
    upstream.loginAnswers = [apiError("BP_LOGIN_REJECTED", 401)];
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(metrics.logins).toEqual({ success: 0, failure: 1 });
    expect(metrics.up).toBe(false);
    expect(upstream.calls).toEqual(["login"]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(upstream.calls).toEqual(["login", "login", "delete", "subscribe", "data"]);
    await poller.stop();
  });

  it("backs off on 5xx with a capped exponential delay and never retries hot", async () => {
    const { upstream, metrics, poller } = setup();
    upstream.dataAnswers = Array.from({ length: 20 }, () => apiError("BP_UPSTREAM", 503));
    poller.start();
    await vi.advanceTimersByTimeAsync(60_000);
    // 1+2+4+8+16+16+... seconds: after 60 s at most 7 data requests
    const dataCalls = upstream.calls.filter((c) => c === "data").length;
    expect(dataCalls).toBeGreaterThanOrEqual(6);
    expect(dataCalls).toBeLessThanOrEqual(7);
    expect(new Set(metrics.errors)).toEqual(new Set(["upstream_error"]));
    // Every third 5xx in a row logs in and subscribes again (a broken session), still with the backoff.
    expect(upstream.calls.filter((c) => c === "login")).toHaveLength(1 + Math.floor(dataCalls / 3));
    await poller.stop();
  });

  it("after three 5xx in a row logs in and subscribes again, then carries on", async () => {
    const { upstream, metrics, poller } = setup();
    upstream.dataAnswers = ["{}", ...Array.from({ length: 3 }, () => apiError("BP_UPSTREAM", 500)), "{}"];
    poller.start();
    await vi.advanceTimersByTimeAsync(1_000 + 1_000 + 2_000 + 4_000);
    expect(upstream.calls).toEqual(["login", "delete", "subscribe", "data", "data", "data", "data", "login", "delete", "subscribe", "data"]);
    expect(metrics.errors).toEqual(["upstream_error", "upstream_error", "upstream_error"]);
    expect(metrics.up).toBe(true);
    await poller.stop();
  });

  it("on 403 logs in again and retries after the longest backoff", async () => {
    const { upstream, metrics, poller } = setup();
    upstream.dataAnswers = ["{}", apiError("BP_FORBIDDEN", 403), "{}"];
    poller.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(metrics.errors).toEqual(["forbidden"]);
    await vi.advanceTimersByTimeAsync(15_999);
    expect(upstream.calls.filter((c) => c === "login")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(upstream.calls.slice(5)).toEqual(["login", "delete", "subscribe", "data"]);
    await poller.stop();
  });

  it("on 431/413 starts a fresh session at once", async () => {
    const { upstream, metrics, poller } = setup();
    upstream.dataAnswers = ["{}", apiError("BP_REQUEST_TOO_LARGE", 431), "{}"];
    poller.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(upstream.calls).toEqual(["login", "delete", "subscribe", "data", "data", "login", "delete", "subscribe", "data"]);
    expect(metrics.errors).toEqual(["request_too_large"]);
    await poller.stop();
  });

  it("a 404 right after a token refresh resubscribes at once: no error, up stays 1", async () => {
    const { upstream, metrics, poller } = setup();
    const ups: boolean[] = [];
    const setUp = metrics.setUp.bind(metrics);
    metrics.setUp = (up) => (ups.push(up), setUp(up));
    upstream.dataAnswers = ["{}", "{}", apiError("BP_NO_SUBSCRIPTION", 404), null, "{}"];
    poller.start();
    await vi.advanceTimersByTimeAsync(1_000);
    upstream.version += 1; // the client refreshed its token between two polls
    await vi.advanceTimersByTimeAsync(2_000);
    expect(upstream.calls).toEqual(["login", "delete", "subscribe", "data", "data", "data", "delete", "subscribe", "data", "data"]);
    expect(metrics.errors).toEqual([]);
    expect(ups.every(Boolean)).toBe(true);
    expect(metrics.subscriptions).toBe(2);
    // A second 404 on the same credentials is an ordinary one again.
    upstream.dataAnswers = [apiError("BP_NO_SUBSCRIPTION", 404)];
    await vi.advanceTimersByTimeAsync(1_000);
    expect(metrics.errors).toEqual(["no_subscription"]);
    await poller.stop();
  });

  it("404s again and again soon after good polls: the same-user fight, backed off exponentially under its own reason", async () => {
    const { upstream, metrics, poller } = setup();
    const gone = () => apiError("BP_NO_SUBSCRIPTION", 404);
    // Each subscription gives two good polls, then another client takes it.
    upstream.dataAnswers = Array.from({ length: 6 }, () => ["{}", "{}", gone()]).flat();
    poller.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(metrics.errors).toEqual(["no_subscription", "shared_api_user", "shared_api_user", "shared_api_user", "shared_api_user", "shared_api_user"]);
    // The waits before resubscribing grow: 0, 1 s, 2 s, 4 s, 8 s, 16 s (random 1: the capped exponential).
    expect(metrics.subscriptions).toBe(7);
    await poller.stop();
  });
});

describe("Poller same-user fight timing", () => {
  it("waits longer before each resubscribe while the fight goes on", async () => {
    const { upstream, poller } = setup();
    const subscribedAt: number[] = [];
    upstream.subscribe = async () => {
      upstream.calls.push("subscribe");
      subscribedAt.push(Date.now());
    };
    upstream.dataAnswers = Array.from({ length: 5 }, () => ["{}", apiError("BP_NO_SUBSCRIPTION", 404)]).flat();
    poller.start();
    await vi.advanceTimersByTimeAsync(60_000);
    const gaps = subscribedAt.slice(1, 6).map((t, i) => t - (subscribedAt[i] as number));
    // poll (1 s) + backoff: 0, then 1, 2, 4, 8 s
    expect(gaps).toEqual([1_000, 2_000, 3_000, 5_000, 9_000]);
    await poller.stop();
  });

  it("drops the statistics once data is older than stale_after, and only then", async () => {
    const { upstream, poller, drops, metrics } = setup();
    upstream.dataAnswers = ["{}", ...Array.from({ length: 20 }, () => apiError("BP_TIMEOUT"))];
    poller.start();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(drops()).toBe(0);
    expect(poller.status().fresh).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(drops()).toBe(1);
    expect(metrics.dropped).toBe(1);
    expect(poller.status().fresh).toBe(false);
    expect(poller.status().lastError?.reason).toBe("timeout");
    await poller.stop();
  });

  it("on stop deletes the subscription and logs out, even from a long backoff", async () => {
    const { upstream, metrics, poller } = setup();
    upstream.subscribeAnswers = [apiError("BP_BAD_REQUEST", 400)];
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    const stopped = poller.stop();
    await vi.advanceTimersByTimeAsync(0);
    await stopped;
    expect(upstream.calls).toEqual(["login", "delete", "subscribe", "delete", "logout"]);
    expect(metrics.states.at(-1)).toBe("stopped");
  });

  it("a new subscription body deletes the old subscription and creates the new one", async () => {
    const { upstream, poller } = setup();
    const subscribed: unknown[] = [];
    upstream.subscribe = async (body: SubscriptionRequest) => {
      upstream.calls.push("subscribe");
      subscribed.push(body);
    };
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    poller.replaceSubscription({ other: { stats_totals: ["agents_ready"] } });
    await vi.advanceTimersByTimeAsync(0);
    expect(upstream.calls).toEqual(["login", "delete", "subscribe", "data", "delete", "subscribe", "data"]);
    expect(subscribed.at(-1)).toEqual({ other: { stats_totals: ["agents_ready"] } });
    await poller.stop();
  });
});

describe("Poller edges", () => {
  it("keeps data that stays fresh: successful polls for longer than stale_after drop nothing", async () => {
    const { poller, drops, metrics } = setup();
    poller.start();
    await vi.advanceTimersByTimeAsync(poll.stale_after_ms * 4);
    expect(metrics.served).toBeGreaterThan(poll.stale_after_ms / poll.interval_ms);
    expect(drops()).toBe(0);
    expect(metrics.dropped).toBe(0);
    expect(poller.status().fresh).toBe(true);
    await poller.stop();
  });

  it("a second start() starts no second loop (polls never overlap)", async () => {
    const { upstream, poller } = setup();
    poller.start();
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    poller.start();
    await vi.advanceTimersByTimeAsync(2_500);
    expect(upstream.calls).toEqual(["login", "delete", "subscribe", "data", "data", "data"]);
    await poller.stop();
  });

  it("stop() before start() resolves without calling the upstream, and the poller stays stopped", async () => {
    const { upstream, metrics, poller } = setup();
    await poller.stop();
    expect(metrics.states.at(-1)).toBe("stopped");
    expect(upstream.calls).toEqual([]);
  });

  it("start() after stop() starts nothing: the poller stays stopped", async () => {
    const { upstream, metrics, poller } = setup();
    await poller.stop();
    poller.start();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(upstream.calls).toEqual([]);
    expect(poller.status().state).toBe("stopped");
    expect(metrics.states.at(-1)).toBe("stopped");
  });

  it("replaceSubscription() before start() is used by the first subscribe", async () => {
    const { upstream, poller } = setup();
    const subscribed: SubscriptionRequest[] = [];
    upstream.subscribe = async (body: SubscriptionRequest) => {
      upstream.calls.push("subscribe");
      subscribed.push(body);
    };
    poller.replaceSubscription({ other: { stats_totals: ["agents_ready"] } });
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(subscribed).toEqual([{ other: { stats_totals: ["agents_ready"] } }]);
    await poller.stop();
  });

  it("replaceSubscription() and stop() during a request (no sleep pending) neither throw nor cut the request short", async () => {
    const { upstream, metrics, bodies, poller } = setup();
    let answer: ((body: string) => void) | undefined;
    upstream.getDataText = () => {
      upstream.calls.push("data");
      return new Promise<string>((resolve) => {
        answer = resolve;
      });
    };
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(upstream.calls).toEqual(["login", "delete", "subscribe", "data"]);
    poller.replaceSubscription({ other: { stats_totals: ["agents_ready"] } });
    const stopped = poller.stop();
    answer?.('{"late":1}');
    await vi.advanceTimersByTimeAsync(0);
    await stopped;
    expect(bodies).toEqual(['{"late":1}']);
    expect(upstream.calls).toEqual(["login", "delete", "subscribe", "data", "delete", "logout"]);
    expect(vi.getTimerCount()).toBe(0); // the late data re-armed no stale timer
    expect(metrics.states.at(-1)).toBe("stopped");
  });

  it("measures the poll duration in seconds, and starts the next poll one interval after the last one started", async () => {
    const { upstream, metrics, poller } = setup();
    upstream.getDataText = () => {
      upstream.calls.push("data");
      return new Promise<string>((resolve) => setTimeout(() => resolve("{}"), 250));
    };
    const start = Date.now();
    poller.start();
    await vi.advanceTimersByTimeAsync(2_250);
    expect(metrics.durations).toEqual([0.25, 0.25, 0.25]);
    // served at 250, 1250, 2250 ms: each poll starts 1 s after the previous one started, not 1 s after it ended
    expect(metrics.servedAt.map((at) => at - start)).toEqual([250, 1_250, 2_250]);
    await poller.stop();
  });
});

describe("Poller states, logs and stop budget", () => {
  it("names its states as the self-metrics expose them (label values of the state series)", () => {
    expect(POLLER_STATES).toEqual(["authenticating", "subscribing", "polling", "backoff", "stopping", "stopped"]);
  });

  it("goes through its states in order, and backs off only when it waits", async () => {
    const { upstream, metrics, poller } = setup();
    upstream.dataAnswers = ["{}", apiError("BP_UNAUTHORIZED", 401), "{}"];
    poller.start();
    await vi.advanceTimersByTimeAsync(1_000);
    // the 401 after a good poll retries at once: no backoff state
    expect(metrics.states).toEqual(["authenticating", "authenticating", "subscribing", "polling", "polling", "authenticating", "subscribing", "polling"]);
    await poller.stop();
    expect(metrics.states.slice(-2)).toEqual(["stopping", "stopped"]);
  });

  it("logs each kind of failure once (an internal error at error level), then the recovery with the failure count", async () => {
    let calls = 0;
    const { upstream, poller, logs, logged } = setup({
      sink: async () => {
        calls += 1;
        if (calls <= 2) throw new TypeError("render bug");
        return { series: 1, invalidValues: 0 };
      },
    });
    upstream.dataAnswers = ["{}", "{}", "{}"];
    poller.start();
    await vi.advanceTimersByTimeAsync(3_000);
    const failures = logs.filter((line) => line.msg === "internal error");
    expect(failures.map((line) => [line.level, line.reason])).toEqual([
      [ERROR, "internal"],
      [20, "internal"], // the same reason again: debug
    ]);
    expect(logged("upstream recovered").map((line) => line.after_failures)).toEqual([2]);
    expect(logged("subscribed").map((line) => line.apps)).toEqual([["wallboard"]]);
    expect(logs.filter((line) => line.level >= WARN && line.msg !== "internal error")).toEqual([]);
    await poller.stop();
  });

  it("logs a dropped series with the stale_after that passed", async () => {
    const { upstream, poller, logged } = setup();
    upstream.dataAnswers = ["{}", ...Array.from({ length: 10 }, () => apiError("BP_TIMEOUT"))];
    poller.start();
    await vi.advanceTimersByTimeAsync(poll.stale_after_ms);
    expect(logged("dropped the statistic series").map((line) => [line.level, line.stale_after_ms])).toEqual([[WARN, poll.stale_after_ms]]);
    await poller.stop();
  });

  it("gives an in-flight request half the stop budget, then cleans up; leaves no timer behind", async () => {
    const { upstream, poller } = setup({ stopTimeoutMs: 1_000 });
    upstream.getDataText = () => {
      upstream.calls.push("data");
      return new Promise<string>(() => undefined); // never answers
    };
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    let done = false;
    const stopped = poller.stop().then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(499);
    expect(upstream.calls).toEqual(["login", "delete", "subscribe", "data"]);
    await vi.advanceTimersByTimeAsync(1);
    await stopped;
    expect(done).toBe(true);
    expect(upstream.calls).toEqual(["login", "delete", "subscribe", "data", "delete", "logout"]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("gives up on a clean-up that hangs after the other half of the budget, and says so", async () => {
    const { upstream, poller, logged, metrics } = setup({ stopTimeoutMs: 1_000 });
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    upstream.deleteSubscription = () => new Promise<void>(() => undefined);
    const stopped = poller.stop();
    await vi.advanceTimersByTimeAsync(500);
    await stopped;
    expect(logged("clean-up on stop took too long").map((line) => [line.level, line.budget_ms])).toEqual([[WARN, 1_000]]);
    expect(metrics.states.at(-1)).toBe("stopped");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("never throws when the clean-up fails: it logs the error and stops", async () => {
    const { upstream, poller, logged, metrics } = setup();
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    upstream.logout = () => Promise.reject(apiError("BP_UPSTREAM", 503));
    const stopped = poller.stop();
    await vi.advanceTimersByTimeAsync(0);
    await expect(stopped).resolves.toBeUndefined();
    const failed = logged("clean-up on stop failed");
    expect(failed.map((line) => line.level)).toEqual([WARN]);
    expect(failed[0]?.err).toMatchObject({ code: "BP_UPSTREAM" });
    expect(logged("deleted the upstream subscription")).toEqual([]);
    expect(metrics.states.at(-1)).toBe("stopped");
  });
});

describe("decide", () => {
  const first = NO_FAILURES;
  const again = { ...NO_FAILURES, failuresBefore: 1 };
  const plan = (relogin: boolean, resubscribe: boolean, wait: string) => ({ relogin, resubscribe, wait, counts: true });
  it.each([
    ["BP_UNAUTHORIZED", first, plan(true, true, "immediate")],
    ["BP_UNAUTHORIZED", again, plan(true, true, "exponential")],
    ["BP_NO_SUBSCRIPTION", first, plan(false, true, "immediate")],
    ["BP_NO_SUBSCRIPTION", again, plan(false, true, "exponential")],
    ["BP_LOGIN_REJECTED", first, plan(true, true, "exponential")],
    ["BP_LOGIN_FORBIDDEN", first, plan(true, true, "slow")],
    ["BP_BAD_REQUEST", first, plan(false, true, "slow")],
    ["BP_FORBIDDEN", first, plan(true, true, "slow")],
    ["BP_REQUEST_TOO_LARGE", first, plan(true, true, "immediate")],
    ["BP_REQUEST_TOO_LARGE", again, plan(true, true, "exponential")],
    ["BP_SUBSCRIPTION_LIMIT", first, plan(false, false, "exponential")],
    ["BP_UPSTREAM", first, plan(false, false, "exponential")],
    ["BP_UPSTREAM", { ...again, upstreamErrorsBefore: 1 }, plan(false, false, "exponential")],
    ["BP_UPSTREAM", { ...again, failuresBefore: 2, upstreamErrorsBefore: 2 }, plan(true, true, "exponential")],
    ["BP_UPSTREAM", { ...again, failuresBefore: 3, upstreamErrorsBefore: 3 }, plan(false, false, "exponential")],
    ["BP_UPSTREAM", { ...again, failuresBefore: 5, upstreamErrorsBefore: 5 }, plan(true, true, "exponential")],
    ["BP_MALFORMED", first, plan(false, false, "exponential")],
  ] as const)("%s (%o)", (code, context, expected) => {
    expect(decide(apiError(code), context)).toEqual(expected);
  });

  it("a 404 after a planned token change resubscribes at once and is neither an error nor up 0", () => {
    expect(decide(apiError("BP_NO_SUBSCRIPTION", 404), { ...NO_FAILURES, credentialsChanged: true, pollsOnSubscription: 3 })).toEqual({
      relogin: false,
      resubscribe: true,
      wait: "immediate",
      counts: false,
    });
  });

  it("a 404 soon after good polls, again after another short-lived subscription, is the same-user fight", () => {
    const gone = apiError("BP_NO_SUBSCRIPTION", 404);
    // The first short-lived subscription is an ordinary loss.
    expect(decide(gone, { ...NO_FAILURES, pollsOnSubscription: 2 })).toEqual(plan(false, true, "immediate"));
    // Then: its own reason, exponential backoff by the number of short-lived subscriptions.
    expect(decide(gone, { ...NO_FAILURES, pollsOnSubscription: 2, shortLivedBefore: 3 })).toEqual({
      ...plan(false, true, "exponential"),
      reason: "shared_api_user",
      backoffStep: 3,
    });
    // A long-lived subscription, or one that never answered, is no evidence.
    expect(decide(gone, { ...NO_FAILURES, pollsOnSubscription: SHORT_LIVED_POLLS, shortLivedBefore: 3 })).toEqual(plan(false, true, "immediate"));
    expect(decide(gone, { ...again, pollsOnSubscription: 0, shortLivedBefore: 3 })).toEqual(plan(false, true, "exponential"));
  });

  it("treats an unknown error as a retryable failure", () => {
    expect(decide(new TypeError("boom"), first)).toEqual(plan(false, false, "exponential"));
  });
});

describe("backoffDelay", () => {
  it.each([
    [1, 1, 1_000],
    [2, 1, 2_000],
    [5, 1, 16_000],
    [9, 1, 16_000],
    [3, 0, 2_000],
    [1000, 0.5, 12_000],
  ])("failure %i with random %f waits %i ms", (failures, random, expected) => {
    expect(backoffDelay(failures, poll, () => random)).toBe(expected);
  });
});
