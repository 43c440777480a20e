import { describe, expect, it } from "vitest";
import { openMetricsHeader, textToOpenMetrics } from "../../../src/metrics/openmetrics.js";

describe("openMetricsHeader", () => {
  it("gives a gauge its unit when the name ends in it, TYPE first", () => {
    expect(openMetricsHeader("bp_in_max_wait_time_seconds", "gauge", "duration", "Longest wait.")).toBe(
      "# TYPE bp_in_max_wait_time_seconds gauge\n# UNIT bp_in_max_wait_time_seconds seconds\n# HELP bp_in_max_wait_time_seconds Longest wait.\n",
    );
    expect(openMetricsHeader("bp_service_level_ratio", "gauge", "percent", "SL.")).toContain("# UNIT bp_service_level_ratio ratio\n");
    expect(openMetricsHeader("bp_chat_message_timestamp_seconds", "gauge", "chat_timestamps", "Sent.")).toContain("# UNIT bp_chat_message_timestamp_seconds seconds\n");
  });

  it("leaves the unit out when a custom metric name does not end in it (the spec requires the suffix)", () => {
    expect(openMetricsHeader("bp_wait", "gauge", "duration", "W.")).toBe("# TYPE bp_wait gauge\n# HELP bp_wait W.\n");
    expect(openMetricsHeader("bp_calls", "gauge", "number", "C.")).toBe("# TYPE bp_calls gauge\n# HELP bp_calls C.\n");
  });

  it("types a state set and an info family as such; an info family is named without _info", () => {
    expect(openMetricsHeader("bp_agent_state", "stateset", "state", "ACD state.")).toBe("# TYPE bp_agent_state stateset\n# HELP bp_agent_state ACD state.\n");
    expect(openMetricsHeader("bp_agent_info", "info", "info", "Text.")).toBe("# TYPE bp_agent info\n# HELP bp_agent Text.\n");
  });

  it("escapes HELP as the text format does", () => {
    expect(openMetricsHeader("bp_x", "gauge", "number", "a\\b\nc")).toContain("# HELP bp_x a\\\\b\\nc\n");
  });
});

describe("textToOpenMetrics (prom-client's self-metrics)", () => {
  it("names a counter's family without _total (its samples keep it), adds units, puts TYPE before HELP", () => {
    const text = [
      "# HELP bp_errors_total Errors by reason.",
      "# TYPE bp_errors_total counter",
      'bp_errors_total{reason="timeout"} 2',
      "",
      "# HELP bp_poll_duration_seconds Poll duration.",
      "# TYPE bp_poll_duration_seconds histogram",
      'bp_poll_duration_seconds_bucket{le="+Inf"} 1',
      "bp_poll_duration_seconds_sum 0.2",
      "bp_poll_duration_seconds_count 1",
      "",
      "# HELP bp_up Up.",
      "# TYPE bp_up gauge",
      "bp_up 1",
      "",
    ].join("\n");
    expect(textToOpenMetrics(text)).toBe(
      [
        "# TYPE bp_errors counter",
        "# HELP bp_errors Errors by reason.",
        'bp_errors_total{reason="timeout"} 2',
        "# TYPE bp_poll_duration_seconds histogram",
        "# UNIT bp_poll_duration_seconds seconds",
        "# HELP bp_poll_duration_seconds Poll duration.",
        'bp_poll_duration_seconds_bucket{le="+Inf"} 1',
        "bp_poll_duration_seconds_sum 0.2",
        "bp_poll_duration_seconds_count 1",
        "# TYPE bp_up gauge",
        "# HELP bp_up Up.",
        "bp_up 1",
        "",
      ].join("\n"),
    );
  });

  it("is empty for an empty text", () => {
    expect(textToOpenMetrics("")).toBe("");
  });
});
