// The small shared helpers of the config: grid keys, ids, OS reasons, secret file endings.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { issueMessage } from "../../../src/config/zod-issues.js";
import { GRID_KINDS, idText, keyColumnOf } from "../../../src/config/grid-kinds.js";
import { osReason, stripTrailingNewlines } from "../../../src/config/secrets.js";
import { tenantIssuePath } from "../../../src/config/tenants.js";

describe("keyColumnOf / idText", () => {
  it("names each kind's scope and key statistic", () => {
    expect(GRID_KINDS).toEqual({ service_grids: { scope: "service", keyStatName: "name" }, agent_grids: { scope: "agent", keyStatName: "login_id" } });
  });

  it.each([
    ["agent_grids", { key: "who", columns: [{ id: "l", stat_name: "login_id" }] }, "who"],
    ["agent_grids", { key: 7 }, "7"],
    ["agent_grids", { key: true }, undefined],
    ["agent_grids", { columns: [{ id: "n", stat_name: "name" }, { id: "l", stat_name: "login_id" }] }, "l"],
    ["service_grids", { columns: [{ id: "l", stat_name: "login_id" }, { id: 3, stat_name: "name" }] }, "3"],
    ["service_grids", { columns: [{ id: "l", stat_name: "login_id" }] }, undefined],
    ["service_grids", { columns: { id: "n", stat_name: "name" } }, undefined],
    ["service_grids", {}, undefined],
  ] as const)("%s %j → %s", (kind, grid, expected) => {
    expect(keyColumnOf(kind, grid)).toBe(expected);
  });

  it.each([
    ["x", "x"],
    [12, "12"],
    [null, undefined],
    [{}, undefined],
    [false, undefined],
  ])("idText(%j) → %j", (value, expected) => {
    expect(idText(value)).toBe(expected);
  });
});

describe("osReason / stripTrailingNewlines", () => {
  it("keeps the OS reason without the path (it may name a secret's location)", () => {
    expect(osReason(new Error("ENOENT: no such file or directory, open '/run/secrets/x'"))).toBe("ENOENT: no such file or directory");
    expect(osReason(new Error("EACCES: permission denied, open '/a, b\nc'"))).toBe("EACCES: permission denied");
    expect(osReason(new Error("EISDIR: illegal operation on a directory, read"))).toBe("EISDIR: illegal operation on a directory, read");
    expect(osReason(new Error("odd, -- 'quoted'"))).toBe("odd, -- 'quoted'");
    expect(osReason("plain text")).toBe("plain text");
  });

  it("strips only the newlines at the end", () => {
    expect(stripTrailingNewlines("s3cret\r\n\n")).toBe("s3cret");
    expect(stripTrailingNewlines("line one\nline two\n")).toBe("line one\nline two");
    expect(stripTrailingNewlines("no newline")).toBe("no newline");
  });
});

describe("tenantIssuePath", () => {
  it.each([
    ["tenants[3]", "poll.interval", "tenants[3].poll.interval"],
    ["tenants.d/acme.yaml", "poll.interval", "tenants.d/acme.yaml: poll.interval"],
    ["tenants[3]", "", "tenants[3]"],
    ["tenants.d/acme.yaml", "", "tenants.d/acme.yaml"],
  ])("%s + %j → %s", (source, path, expected) => {
    expect(tenantIssuePath(source, path)).toBe(expected);
  });
});

describe("issueMessage (zod's built-in issues in plain words)", () => {
  const messageOf = (schema: z.ZodType, input: unknown) => {
    const result = schema.safeParse(input, { error: issueMessage });
    return result.success ? undefined : result.error.issues.map((issue) => issue.message);
  };

  it("words a too short list, a too short string and a too small number", () => {
    expect(messageOf(z.array(z.string()).min(2), ["a"])).toEqual(["expected at least 2 item(s)"]);
    expect(messageOf(z.string().min(1), "")).toEqual(["must not be empty"]);
    expect(messageOf(z.number().min(16), 3)).toEqual(["must be >= 16"]);
  });
});
