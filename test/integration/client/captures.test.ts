// The requests the client builds match the captured shapes of real clients (test/fixtures/captures): methods,
// paths, Content-Type (with the charset on POST, and on GET too), Bearer auth, the token form's fields, the
// subscription body. A recording server answers each path with the captured answer.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import { StatsApiClient } from "../../../src/statsapi/client.js";
import { buildSubscriptionRequest } from "../../../src/statsapi/subscription-request.js";
import { type RecordingServer, startRecordingServer } from "../../support/recording-server.js";

const DIR = new URL("../../fixtures/captures/", import.meta.url);
const text = (name: string) => readFileSync(new URL(name, DIR), "utf8");
interface Capture {
  request: { method: string; path: string; headers?: Record<string, string>; body?: unknown; form?: Record<string, string> };
  response: { status: number; body: unknown };
}
const CAPTURES = ["oauth-token", "subscription-agents", "data-agents", "cfg-agents", "cfg-services", "dispositions"];
const captures = new Map(CAPTURES.map((name) => [name, JSON.parse(text(`${name}.json`)) as Capture]));
const capture = (name: string) => captures.get(name) as Capture;

let recorder: RecordingServer;

beforeAll(async () => {
  recorder = await startRecordingServer(({ method, path }, res) => {
    const answer = [...captures.values()].find((c) => c.request.path === path && c.request.method === method)?.response;
    if (answer === undefined) return void res.writeHead(404).end();
    if (answer.body === "") return void res.writeHead(answer.status).end(); // the empty chunked 200 of subscribe
    res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body).replace("<token>", "captured-token"));
  });
});

afterAll(() => recorder.close());

describe("requests of the client, against the captured ones", () => {
  it("token, subscribe, data, cfg lists and dispositions have the captured method, path, headers and body shape", async () => {
    const config = await parseConfig(text("data-agents.yaml"), { env: {}, baseDir: DIR.pathname });
    const client = new StatsApiClient({ upstream: { ...config.upstream, url: recorder.url } });
    try {
      await client.login();
      await client.subscribe(buildSubscriptionRequest(config));
      expect(JSON.parse((await client.getDataText()) ?? "")).toEqual(capture("data-agents").response.body);
      expect(await client.listAgents()).toHaveLength((capture("cfg-agents").response.body as unknown[]).length);
      expect(await client.listServices()).toHaveLength((capture("cfg-services").response.body as unknown[]).length);
      expect(await client.getDispositions()).toEqual(capture("dispositions").response.body);
    } finally {
      await client.close();
    }
    expect(recorder.seen.map((r) => `${r.method} ${r.path}`)).toEqual(CAPTURES.map((name) => `${capture(name).request.method} ${capture(name).request.path}`));
    const [token, subscribe, ...gets] = recorder.seen;
    const tokenCapture = capture("oauth-token").request;
    expect(token?.headers["content-type"]).toBe(tokenCapture.headers?.["Content-Type"]);
    expect(Object.keys(Object.fromEntries(new URLSearchParams(token?.body))).sort()).toEqual(Object.keys(tokenCapture.form ?? {}).sort());
    expect(Object.fromEntries(new URLSearchParams(token?.body))).toMatchObject({ grant_type: "client_credentials", client_id: "edna.partee", scope: "clientweb" });
    const subscribeCapture = capture("subscription-agents").request;
    expect(subscribe?.headers["content-type"]).toBe(subscribeCapture.headers?.["Content-Type"]);
    expect(subscribe?.headers.authorization).toBe("Bearer captured-token");
    expect(JSON.parse(subscribe?.body ?? "")).toEqual(subscribeCapture.body);
    for (const get of gets) {
      const captured = [...captures.values()].find((c) => c.request.path === get.path)?.request;
      if (captured?.headers?.["Content-Type"] !== undefined) expect(get.headers["content-type"], get.path).toBe(captured.headers["Content-Type"]);
      expect(get.headers.authorization, get.path).toBe("Bearer captured-token");
    }
  });
});
