// Typed Stats API errors. Callers branch on `code`, never on messages.
// `reason` is the value of the `reason` label of brightpattern_errors_total.
// Messages never contain secrets (passwords, tokens, cookies).

export type StatsApiErrorCode =
  | "BP_LOGIN_REJECTED" // 401 on login: wrong credentials
  | "BP_LOGIN_FORBIDDEN" // 403 on session login: server wants OAuth
  | "BP_UNAUTHORIZED" // 401 on any other call: token/session expired
  | "BP_NO_SUBSCRIPTION" // 404 on data: no active subscription
  | "BP_BAD_REQUEST" // 400 on subscribe: the subscription is wrong
  | "BP_SUBSCRIPTION_LIMIT" // 409 on subscribe: tenant limit reached
  | "BP_FORBIDDEN" // 403 on a Stats API call: the API user lacks a privilege
  | "BP_REQUEST_TOO_LARGE" // 431/413: our request grew (cookies): a fresh session is needed
  | "BP_UPSTREAM" // 5xx
  | "BP_UNEXPECTED_STATUS" // any other status
  | "BP_TIMEOUT" // no answer within the request timeout
  | "BP_NETWORK" // connection refused/reset, DNS, TLS
  | "BP_MALFORMED"; // body is not the JSON we expect

export type ErrorReason =
  | "login_rejected"
  | "login_forbidden"
  | "unauthorized"
  | "no_subscription"
  | "bad_request"
  | "subscription_limit"
  | "forbidden"
  | "request_too_large"
  | "shared_api_user" // the poller's reading of repeated 404s: another client uses the same API user
  | "upstream_error"
  | "unexpected_status"
  | "timeout"
  | "network"
  | "malformed_response"
  | "internal"; // a bug of ours, not the upstream's fault

const REASONS: Record<StatsApiErrorCode, ErrorReason> = {
  BP_LOGIN_REJECTED: "login_rejected",
  BP_LOGIN_FORBIDDEN: "login_forbidden",
  BP_UNAUTHORIZED: "unauthorized",
  BP_NO_SUBSCRIPTION: "no_subscription",
  BP_BAD_REQUEST: "bad_request",
  BP_SUBSCRIPTION_LIMIT: "subscription_limit",
  BP_FORBIDDEN: "forbidden",
  BP_REQUEST_TOO_LARGE: "request_too_large",
  BP_UPSTREAM: "upstream_error",
  BP_UNEXPECTED_STATUS: "unexpected_status",
  BP_TIMEOUT: "timeout",
  BP_NETWORK: "network",
  BP_MALFORMED: "malformed_response",
};

/** Every reason label value, for pre-initialising the error counter. */
export const ERROR_REASONS: readonly ErrorReason[] = [...Object.values(REASONS), "shared_api_user", "internal"];

export interface StatsApiErrorDetails {
  /** Which call failed, e.g. "POST /statsapi/subscription". */
  operation: string;
  status?: number;
  /** The server's error_code / error_message from a 400 body, when present. */
  errorCode?: string | number;
  errorMessage?: string;
  cause?: unknown;
}

export class StatsApiError extends Error {
  override readonly name: string = "StatsApiError";
  readonly operation: string;
  /** The message without the `operation: ` prefix (what to pass when rebuilding the error). */
  readonly detail: string;
  readonly status: number | undefined;
  readonly errorCode: string | number | undefined;
  readonly errorMessage: string | undefined;

  constructor(
    readonly code: StatsApiErrorCode,
    message: string,
    details: StatsApiErrorDetails,
  ) {
    super(`${details.operation}: ${message}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.operation = details.operation;
    this.detail = message;
    this.status = details.status;
    this.errorCode = details.errorCode;
    this.errorMessage = details.errorMessage;
  }

  get reason(): ErrorReason {
    return REASONS[this.code];
  }
}

export function isStatsApiError(error: unknown): error is StatsApiError {
  return error instanceof StatsApiError;
}

/** The reason label for any thrown value: anything that is not a StatsApiError is a bug of ours. */
export function reasonOf(error: unknown): ErrorReason {
  return isStatsApiError(error) ? error.reason : "internal";
}
