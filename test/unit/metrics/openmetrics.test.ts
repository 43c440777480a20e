import { describe, expect, it } from "vitest";
import { OPENMETRICS_CONTENT_TYPE, OPENMETRICS_EOF, TEXT_CONTENT_TYPE, openMetricsHeader, textToOpenMetrics } from "../../../src/metrics/openmetrics.js";

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

describe("the formats' fixed text", () => {
  it("names the formats as Prometheus negotiates them and ends OpenMetrics with # EOF", () => {
    expect(OPENMETRICS_CONTENT_TYPE).toBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
    expect(TEXT_CONTENT_TYPE).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(OPENMETRICS_EOF).toBe("# EOF\n");
  });
});

describe("openMetricsHeader at its edges", () => {
  it("gives a timestamp gauge the unit seconds", () => {
    expect(openMetricsHeader("bp_last_login_timestamp_seconds", "gauge", "timestamp", "T.")).toContain("# UNIT bp_last_login_timestamp_seconds seconds\n");
  });

  it("renames only info families, and only their last _info", () => {
    expect(openMetricsHeader("bp_help_info", "gauge", "number", "G.")).toBe("# TYPE bp_help_info gauge\n# HELP bp_help_info G.\n");
    expect(openMetricsHeader("bp_info_desk_info", "info", "info", "I.")).toBe("# TYPE bp_info_desk info\n# HELP bp_info_desk I.\n");
  });
});

describe("textToOpenMetrics at its edges", () => {
  it("drops only a counter's last _total; a gauge keeps its _total", () => {
    const text = [
      "# HELP bp_total_polls_total Polls.",
      "# TYPE bp_total_polls_total counter",
      "bp_total_polls_total 3",
      "# HELP bp_seen_total Seen so far.",
      "# TYPE bp_seen_total gauge",
      "bp_seen_total 1",
      "",
    ].join("\n");
    expect(textToOpenMetrics(text)).toBe(
      [
        "# TYPE bp_total_polls counter",
        "# HELP bp_total_polls Polls.",
        "bp_total_polls_total 3",
        "# TYPE bp_seen_total gauge",
        "# HELP bp_seen_total Seen so far.",
        "bp_seen_total 1",
        "",
      ].join("\n"),
    );
  });

  it("gives names ending in _bytes and _ratio their unit", () => {
    const text = [
      "# HELP process_resident_memory_bytes Resident memory.",
      "# TYPE process_resident_memory_bytes gauge",
      "process_resident_memory_bytes 1024",
      "# HELP bp_cache_hit_ratio Hits.",
      "# TYPE bp_cache_hit_ratio gauge",
      "bp_cache_hit_ratio 0.5",
      "",
    ].join("\n");
    const out = textToOpenMetrics(text);
    expect(out).toContain("# TYPE process_resident_memory_bytes gauge\n# UNIT process_resident_memory_bytes bytes\n");
    expect(out).toContain("# TYPE bp_cache_hit_ratio gauge\n# UNIT bp_cache_hit_ratio ratio\n");
  });

  it("writes no HELP line for a family without one", () => {
    expect(textToOpenMetrics("# TYPE bp_up gauge\nbp_up 1\n")).toBe("# TYPE bp_up gauge\nbp_up 1\n");
  });

  it("leaves a sample alone whose label value looks like a HELP or TYPE line", () => {
    const text = ["# HELP bp_errors_total Errors.", "# TYPE bp_errors_total counter", 'bp_errors_total{reason="# HELP me"} 1', 'bp_errors_total{reason="# TYPE x"} 2', ""].join("\n");
    expect(textToOpenMetrics(text)).toBe(
      ["# TYPE bp_errors counter", "# HELP bp_errors Errors.", 'bp_errors_total{reason="# HELP me"} 1', 'bp_errors_total{reason="# TYPE x"} 2', ""].join("\n"),
    );
  });

  it("reads types from TYPE lines only, not from a HELP text that quotes one", () => {
    const text = [
      "# HELP bp_seen_total Seen so far.",
      "# TYPE bp_seen_total gauge",
      "bp_seen_total 1",
      "# HELP bp_note Not to be confused with # TYPE bp_seen_total counter",
      "# TYPE bp_note gauge",
      "bp_note 0",
      "",
    ].join("\n");
    expect(textToOpenMetrics(text)).toContain("# TYPE bp_seen_total gauge\n# HELP bp_seen_total Seen so far.\n");
  });
});

