import pino from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type PollerMetrics, type PollerState, type UpstreamSession, Poller, backoffDelay, decide } from "../../src/poller.js";
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

function setup() {
  const upstream = new ScriptedUpstream();
  const metrics = new RecordingMetrics();
  const bodies: string[] = [];
  let drops = 0;
  const poller = new Poller({
    upstream,
    subscription: { wallboard: { stats_totals: ["in_calls_waiting"] } },
    sink: async (body) => {
      bodies.push(body);
      return { series: 1, invalidValues: 0 };
    },
    dropStatistics: () => {
      drops += 1;
    },
    metrics,
    poll,
    logger: pino({ level: "silent" }),
    random: () => 1, // jitter at its maximum: the delay equals the capped exponential
  });
  return { upstream, metrics, bodies, poller, drops: () => drops };
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
    expect(upstream.calls.filter((c) => c === "login")).toHaveLength(1);
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

describe("decide", () => {
  it.each([
    ["BP_UNAUTHORIZED", true, { relogin: true, resubscribe: true, wait: "immediate" }],
    ["BP_UNAUTHORIZED", false, { relogin: true, resubscribe: true, wait: "exponential" }],
    ["BP_NO_SUBSCRIPTION", true, { relogin: false, resubscribe: true, wait: "immediate" }],
    ["BP_LOGIN_REJECTED", true, { relogin: true, resubscribe: true, wait: "exponential" }],
    ["BP_LOGIN_FORBIDDEN", true, { relogin: true, resubscribe: true, wait: "slow" }],
    ["BP_BAD_REQUEST", true, { relogin: false, resubscribe: true, wait: "slow" }],
    ["BP_SUBSCRIPTION_LIMIT", true, { relogin: false, resubscribe: false, wait: "exponential" }],
    ["BP_UPSTREAM", true, { relogin: false, resubscribe: false, wait: "exponential" }],
    ["BP_MALFORMED", true, { relogin: false, resubscribe: false, wait: "exponential" }],
  ] as const)("%s (first failure: %s)", (code, first, plan) => {
    expect(decide(apiError(code), first)).toEqual(plan);
  });

  it("treats an unknown error as a retryable failure", () => {
    expect(decide(new TypeError("boom"), true)).toEqual({ relogin: false, resubscribe: false, wait: "exponential" });
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
