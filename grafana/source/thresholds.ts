// The contact-center thresholds, in one place: the dashboards colour and draw them, and
// prometheus/alerts.yml alerts on the same numbers (a unit test keeps the two equal). Change a
// number here, run `npm run grafana:dashboards`, and edit alerts.yml to match.

/** A value that is worse when higher (calls waiting, waits, abandon rate). */
export interface RisingLimit {
  /** Amber from here. */
  warning: number;
  /** Red from here; the alert fires above it. */
  critical: number;
}

export const THRESHOLDS = {
  /** Calls waiting in queue now (calls). */
  callsWaiting: { warning: 5, critical: 10 },
  /** Longest current wait, and waits per service (seconds). */
  longestWait: { warning: 60, critical: 120 },
  /** Average speed of answer today (seconds). */
  speedOfAnswer: { warning: 20, critical: 40 },
  /** Share of today's inbound calls abandoned in queue (ratio). */
  abandonRate: { warning: 0.03, critical: 0.05 },
  /** Time an agent has been in the current state (seconds); the same limit for every state. */
  timeInState: { warning: 600, critical: 1200 },
  /** Age of the exporter's last successful poll (seconds). */
  dataAge: { warning: 10, critical: 30 },
} satisfies Record<string, RisingLimit>;

/** Today's service level: met (green) from the target up, red below it; the alert fires below it. */
export const SERVICE_LEVEL_TARGET = 0.8;

/**
 * Calls received today before a rate (service level, abandon rate) is judged: at 07:01 one
 * abandoned call out of two is 50 %, and no reason to wake anyone.
 */
export const MIN_CALLS_FOR_RATES = 20;
