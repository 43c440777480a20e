import { describe, expect, it } from "vitest";
import { type CallKind, errorForStatus } from "../../../src/statsapi/status.js";

describe("errorForStatus", () => {
  it.each<[CallKind, number, string, string, RegExp]>([
    ["token", 401, "", "BP_LOGIN_REJECTED", /login rejected \(401\)/],
    ["session_login", 401, "", "BP_LOGIN_REJECTED", /login rejected \(401\)/],
    ["token", 400, '{"error":"invalid_client","error_description":"bad"}', "BP_LOGIN_REJECTED", /\(400\) \(invalid_client: bad\)/],
    ["token", 400, '{"error":"invalid_client"}', "BP_LOGIN_REJECTED", /refused the client credentials \(400\) \(invalid_client\)$/],
    ["token", 403, "not json", "BP_LOGIN_REJECTED", /refused the client credentials \(403\)$/],
    ["session_login", 403, '{"error":"illegal login attempt"}', "BP_LOGIN_FORBIDDEN", /refuses session login.*use auth\.method oauth/],
    ["subscribe", 401, "", "BP_UNAUTHORIZED", /unauthorized \(401\)/],
    ["data", 401, "", "BP_UNAUTHORIZED", /unauthorized \(401\)/],
    ["other", 401, "", "BP_UNAUTHORIZED", /unauthorized \(401\)/],
    ["subscribe", 400, '{"error_code":12,"error_message":"unknown stat\\nfoo"}', "BP_BAD_REQUEST", /bad request \(400\): error_code 12: unknown stat foo$/],
    ["subscribe", 400, '{"error_message":"only a message"}', "BP_BAD_REQUEST", /bad request \(400\): only a message$/],
    ["subscribe", 400, "plain text reason", "BP_BAD_REQUEST", /bad request \(400\): plain text reason$/],
    ["subscribe", 400, "", "BP_BAD_REQUEST", /bad request \(400\)$/],
    ["subscribe", 400, " \n\t ", "BP_BAD_REQUEST", /: bad request \(400\)$/],
    ["session_login", 400, "echo of the request", "BP_BAD_REQUEST", /bad request \(400\)$/],
    ["subscribe", 400, "x".repeat(1000), "BP_BAD_REQUEST", /: bad request \(400\): x{200}…$/],
    ["subscribe", 400, "y".repeat(200), "BP_BAD_REQUEST", /: bad request \(400\): y{200}$/],
    ["subscribe", 400, "  line one\n\tline   two  ", "BP_BAD_REQUEST", /: bad request \(400\): line one line two$/],
    ["token", 503, "", "BP_UPSTREAM", /upstream error \(503\)/],
    ["token", 500, '{"error":"invalid_client"}', "BP_UPSTREAM", /: upstream error \(500\)$/],
    ["token", 404, "", "BP_UNEXPECTED_STATUS", /unexpected status 404/],
    ["token", 302, "", "BP_UNEXPECTED_STATUS", /unexpected status 302/],
    ["session_login", 503, "", "BP_UPSTREAM", /upstream error \(503\)/],
    ["session_login", 404, "", "BP_UNEXPECTED_STATUS", /unexpected status 404/],
    ["data", 599, "", "BP_UPSTREAM", /upstream error \(599\)/],
    ["data", 600, "", "BP_UNEXPECTED_STATUS", /unexpected status 600/],
    ["data", 499, "", "BP_UNEXPECTED_STATUS", /unexpected status 499/],
    ["data", 404, "", "BP_NO_SUBSCRIPTION", /no active subscription \(404\)/],
    ["other", 404, "", "BP_UNEXPECTED_STATUS", /unexpected status 404/],
    ["subscribe", 409, "", "BP_SUBSCRIPTION_LIMIT", /limit of active subscriptions exceeded for the tenant \(409\)/],
    ["data", 409, "", "BP_UNEXPECTED_STATUS", /unexpected status 409/],
    ["data", 500, "", "BP_UPSTREAM", /upstream error \(500\)/],
    ["subscribe", 503, "", "BP_UPSTREAM", /upstream error \(503\)/],
    ["data", 403, "", "BP_FORBIDDEN", /forbidden \(403\): the API user lacks a privilege: "Access Realtime Stats API"/],
    ["subscribe", 403, "", "BP_FORBIDDEN", /"View real-time agent metrics" for agent grids, "View real-time service metrics" for service grids/],
    ["subscribe", 403, '{"error":"no privilege"}', "BP_FORBIDDEN", /\(server: no privilege\)$/],
    ["other", 403, "", "BP_FORBIDDEN", /forbidden \(403\)/],
    ["data", 431, "", "BP_REQUEST_TOO_LARGE", /request too large \(431\): .*fresh session/],
    ["subscribe", 413, "", "BP_REQUEST_TOO_LARGE", /request too large \(413\)/],
    ["data", 302, "", "BP_UNEXPECTED_STATUS", /unexpected status 302/],
    ["data", 418, "", "BP_UNEXPECTED_STATUS", /unexpected status 418/],
  ])("%s %i → %s", (kind, status, body, code, message) => {
    const error = errorForStatus(kind, "OP /x", status, body);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.operation).toBe("OP /x");
    expect(error.message.startsWith("OP /x: ")).toBe(true);
    expect(error.message).toMatch(message);
  });

  it("a 403 names the privilege, and what the server said only when it said something", () => {
    const privilege = 'forbidden (403): the API user lacks a privilege: "Access Realtime Stats API"';
    expect(errorForStatus("other", "OP /x", 403, "").message).toBe(`OP /x: ${privilege}`);
    expect(errorForStatus("other", "OP /x", 403, '{"error":"   "}').message).toBe(`OP /x: ${privilege}`);
    expect(errorForStatus("other", "OP /x", 403, '{"error_message":"no realtime access","error":"forbidden"}').message).toBe(
      `OP /x: ${privilege} (server: no realtime access)`,
    );
  });

  it("reads no body when none is given", () => {
    expect(errorForStatus("subscribe", "OP /x", 400).message).toBe("OP /x: bad request (400)");
  });

  it("carries the server's error_code and error_message on a 400", () => {
    const error = errorForStatus("subscribe", "POST /statsapi/subscription", 400, '{"error_code":"E42","error_message":"bad grid"}');
    expect(error.errorCode).toBe("E42");
    expect(error.errorMessage).toBe("bad grid");
  });

  it("does not take an OAuth error code that is not a plain word", () => {
    const error = errorForStatus("token", "POST /t", 400, JSON.stringify({ error: "has spaces and secret-s3cr3t" }));
    expect(error.message).not.toContain("secret");
  });
});
