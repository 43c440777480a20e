import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/config/errors.js";
import { reloadFailureAnswer } from "../../../src/exporter/reload-answer.js";

const KEPT = "the running config is kept, the exporter's log has the details";

describe("reloadFailureAnswer: what POST /-/reload answers when the new config is refused", () => {
  it("counts the problems and names their YAML paths, each once, never the messages", () => {
    const error = new ConfigError([
      { path: "poll.interval", message: 'invalid duration "5 parsecs"' },
      { path: "subscription.apps[0].service_grids[1].limit", message: "must be positive" },
      { path: "poll.interval", message: "must be at least 1s" },
    ]);
    expect(reloadFailureAnswer(error)).toBe(
      `config reload failed, 3 problems (at poll.interval, subscription.apps[0].service_grids[1].limit): ${KEPT}`,
    );
  });

  it("says 1 problem in the singular", () => {
    expect(reloadFailureAnswer(new ConfigError([{ path: "tenants[2].name", message: "duplicate" }]))).toBe(
      `config reload failed, 1 problem (at tenants[2].name): ${KEPT}`,
    );
  });

  it("leaves out what is not a YAML path: file names and file-level messages may reveal the file system", () => {
    const error = new ConfigError([
      { path: "", message: "cannot read config file /run/secrets/bp.yaml: ENOENT" },
      { path: "/etc/exporter/tenants.d/acme.yaml", message: "bad" },
      { path: "tenants.d/acme.yaml: upstream.url", message: "bad" },
    ]);
    expect(reloadFailureAnswer(error)).toBe(`config reload failed, 3 problems: ${KEPT}`);
  });

  it("answers any other failure without its message", () => {
    const answer = reloadFailureAnswer(new Error("EACCES: permission denied, open '/run/secrets/bp.yaml'"));
    expect(answer).toBe(`config reload failed: ${KEPT}`);
    expect(answer).not.toContain("secrets");
  });
});
