import { describe, expect, it } from "vitest";
import { ConfigError, formatConfigIssues, formatConfigWarnings } from "../../../src/config/errors.js";

describe("formatConfigIssues / ConfigError", () => {
  const issues = [
    { path: "poll.interval", message: "must be at least 100ms" },
    { path: "", message: "YAML syntax error at line 2, column 1: bad indentation" },
  ];

  it("puts every issue on its own line as path: message", () => {
    expect(formatConfigIssues(issues)).toBe("poll.interval: must be at least 100ms\nYAML syntax error at line 2, column 1: bad indentation");
  });

  it("is an Error with a code, the issues and a message prefixed by the file name", () => {
    const error = new ConfigError(issues, "bp.yaml");
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.issues).toBe(issues);
    expect(error.message.split("\n")).toEqual([
      "bp.yaml: 2 problems",
      "bp.yaml: poll.interval: must be at least 100ms",
      "bp.yaml: YAML syntax error at line 2, column 1: bad indentation",
    ]);
    expect(new ConfigError([issues[0]!]).message).toBe("config: 1 problem\nconfig: poll.interval: must be at least 100ms");
  });
});

describe("formatConfigWarnings / ConfigError with warnings", () => {
  const warnings = [
    { path: "subscription.apps[0].stats_totals[0]", message: 'unknown statistic "x"' },
    { path: "upstream.url", message: "plain http://" },
  ];

  it("prints each warning as file: warning: path: message, and nothing for none", () => {
    expect(formatConfigWarnings(warnings, "bp.yaml")).toBe(
      'bp.yaml: warning: subscription.apps[0].stats_totals[0]: unknown statistic "x"\nbp.yaml: warning: upstream.url: plain http://',
    );
    expect(formatConfigWarnings(warnings.slice(1))).toBe("config: warning: upstream.url: plain http://");
    expect(formatConfigWarnings([], "bp.yaml")).toBe("");
  });

  it("shows the warnings after the problems, and has the name ConfigError", () => {
    const error = new ConfigError([{ path: "poll.interval", message: "too short" }], "bp.yaml", warnings.slice(1));
    expect(error.name).toBe("ConfigError");
    expect(error.warnings).toEqual(warnings.slice(1));
    expect(error.message).toBe("bp.yaml: 1 problem\nbp.yaml: poll.interval: too short\nbp.yaml: warning: upstream.url: plain http://");
    expect(new ConfigError([{ path: "a", message: "b" }]).message).toBe("config: 1 problem\nconfig: a: b");
  });
});
