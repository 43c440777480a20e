import { describe, expect, it } from "vitest";
import { ConfigError, formatConfigIssues } from "../../../src/config/errors.js";

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
