import { describe, expect, it } from "vitest";
import { appendKey, formatPath, shownPath } from "../../../src/document/path.js";

describe("formatPath", () => {
  it.each([
    [[], ""],
    [["upstream", "url"], "upstream.url"],
    [["subscription", "apps", 0, "agent_grids", 1, "order_by"], "subscription.apps[0].agent_grids[1].order_by"],
    [[0, "a"], "[0].a"],
  ])("%j → %j", (segments, text) => {
    expect(formatPath(segments)).toBe(text);
  });
});

describe("appendKey / shownPath", () => {
  it("quotes a key that is not an identifier", () => {
    expect(appendKey("headers", "X-Odd key")).toBe('headers["X-Odd key"]');
    expect(appendKey("headers", "X-Powered-By")).toBe("headers.X-Powered-By");
    expect(formatPath(["web", "a b", 2])).toBe('web["a b"][2]');
  });

  it("names the document itself (top level)", () => {
    expect(shownPath("")).toBe("(top level)");
    expect(shownPath("a.b")).toBe("a.b");
  });
});
