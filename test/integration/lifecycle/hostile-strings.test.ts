// Hostile text through the whole daemon: the simulator serves agent, team and service names and chat content
// with quotes, backslashes, newlines, 10 kB lengths, non-ASCII and lone surrogates; the bytes /metrics serves
// must be valid UTF-8, pass `promtool check metrics`, and read back (unescaped) as the upstream sent them.
import { spawnSync } from "node:child_process";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readExposition } from "../../unit/metrics/exposition-reader.js";
import { DATA_PATH, type Pair, eventually, startPair } from "./harness.js";

const MAX_LABEL = 256; // config.example.yaml's metrics.max_label_length

const HOSTILE = {
  quoted: 'agent "quoted" \\ back\\slash\nnew line\\n',
  long: "x".repeat(10_000),
  lone: "lone \ud800 surrogate \udc00",
  emoji: "🎧".repeat(5_000),
  first: "Zoë",
  last: "山田 \"Ω\" \\",
  team: 'Team "A" \\\nβ',
  service: 'Service "S" \\ ñ\n2',
  chat: 'He said "hi" \\o/\nsecond line\ttab 🙂 \ud83d end',
};

/** What a well-formed UTF-8 exposition carries for a string with lone surrogates. */
const wellFormed = (text: string) => Buffer.from(text, "utf8").toString("utf8");

/** The raw bytes of a GET, without content decoding. */
function getBytes(url: string): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
}

let pair: Pair;
let bytes: Buffer;

beforeAll(async () => {
  pair = await startPair({ simulator: { warmupPolls: 0 } });
  const { roster, chat } = pair.sim.center;
  const [a0, a1, a2, a3] = roster.agents;
  if (!a0 || !a1 || !a2 || !a3 || !roster.teams[0] || !roster.services[0] || !chat[0]) throw new Error("the simulator's roster is smaller than expected");
  Object.assign(a0, { loginId: HOSTILE.quoted, firstName: HOSTILE.first, lastName: HOSTILE.last, team: 0 });
  a1.loginId = HOSTILE.long;
  Object.assign(a2, { loginId: HOSTILE.lone, firstName: HOSTILE.lone });
  a3.loginId = HOSTILE.emoji;
  roster.teams[0].name = HOSTILE.team;
  roster.services[0].name = HOSTILE.service;
  Object.assign(chat[0], { content: HOSTILE.chat, agent: 0 });
  // Wait for a poll that fetched the hostile data, then for it to be served.
  const from = pair.sim.requests.length;
  await eventually(() => pair.sim.requests.slice(from).some((r) => r.path === DATA_PATH && r.status === 200), 3_000, "a data poll");
  bytes = await eventually(
    async () => {
      const res = await getBytes(pair.metricsUrl);
      return res.status === 200 && res.body.includes(Buffer.from("Zo\u00eb")) ? res.body : undefined;
    },
    3_000,
    "the hostile names served",
  );
});
afterAll(async () => {
  await pair?.stop();
});

describe("hostile strings end to end", () => {
  it("serves valid UTF-8 that promtool accepts", () => {
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).not.toThrow();
    const result = spawnSync(process.env.PROMTOOL ?? "promtool", ["check", "metrics"], { input: bytes, encoding: "utf8" });
    if (result.error) throw new Error(`could not run promtool: ${result.error.message} (install Debian's "prometheus" package)`);
    const output = result.stdout + result.stderr;
    // Exit 1 = the text does not parse; 3 = lint findings. Neither is allowed.
    expect(output).toBe("");
    expect(result.status).toBe(0);
  });

  it("reads back every label as the upstream sent it (escaped, not mangled), long ones truncated with …", () => {
    const samples = readExposition(bytes.toString("utf8"));
    const agents = new Set(samples.filter((s) => s.name === "brightpattern_agent_state").map((s) => s.labels.agent));
    expect(agents.has(HOSTILE.quoted)).toBe(true);
    expect(agents.has(wellFormed(HOSTILE.lone))).toBe(true);
    const truncated = [...agents].filter((a) => a !== undefined && a.endsWith("…"));
    expect(truncated.map((a) => a?.[0])).toEqual(expect.arrayContaining(["x", "🎧".slice(0, 1)]));
    for (const label of truncated) {
      expect([...(label as string)].length).toBeLessThanOrEqual(MAX_LABEL);
      expect(label).toBe(wellFormed(label as string)); // no half of a surrogate pair left at the cut
    }
    const info = samples.find((s) => s.name === "brightpattern_agent_info" && s.labels.agent === HOSTILE.quoted);
    expect(info?.labels).toMatchObject({ full_name: `${HOSTILE.first} ${HOSTILE.last}`, team_name: HOSTILE.team });
    const services = samples.filter((s) => s.name === "brightpattern_service_in_calls_waiting").map((s) => s.labels.service_name);
    expect(services).toContain(HOSTILE.service);
    const chat = samples.find((s) => s.name === "brightpattern_chat_message_timestamp_seconds" && s.labels.content === wellFormed(HOSTILE.chat));
    expect(chat?.labels).toMatchObject({ login_id: HOSTILE.quoted, first_name: HOSTILE.first, last_name: HOSTILE.last });
  });

  it("keeps every sample on one line: no raw newline inside a label value", () => {
    const text = bytes.toString("utf8");
    for (const line of text.split("\n")) {
      if (line === "" || line.startsWith("#")) continue;
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? \S+$/);
    }
  });
});
