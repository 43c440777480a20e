// `discover` and `dispositions` under session auth leave the session alone: a logout (DELETE /statsapi/auth)
// ends the user's session on the server, the running exporter's too when it uses the same user.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { discoverCommand, dispositionsCommand } from "../../../src/commands/discover.js";
import { type Simulator, startSimulator } from "../../../src/simulator/index.js";

let sim: Simulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await sim?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const config = (url: string, auth: string) => `upstream:
  url: ${url}
  tenant_url: demo.brightpattern.local
  auth:
${auth}
subscription:
  apps:
    - app_id: wallboard
      stats_totals: [in_calls_waiting]
`;

describe.each([
  { method: "session", auth: "    method: session\n    username: supervisor\n    password: demo-password", logins: "POST /statsapi/auth 200" },
  { method: "oauth", auth: "    client_id: wallboard\n    client_secret: demo-secret", logins: "POST /configapi/v2/oauth/token 200" },
])("discover and dispositions ($method)", ({ auth, logins }) => {
  it("ask what they need and never log out (DELETE /statsapi/auth)", async () => {
    sim = await startSimulator({ tickMs: 0 });
    dir = await mkdtemp(join(tmpdir(), "bp-discover-"));
    const configPath = join(dir, "config.yaml");
    await writeFile(configPath, config(sim.url, auth));
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const logger = pino({ level: "silent" });
    expect(await discoverCommand({ configPath, logger })).toBe(0);
    expect(await dispositionsCommand({ configPath, logger, values: { "log-level": "info", "log-format": "json" } })).toBe(0);
    const seen = sim.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(seen.filter((c) => c === logins)).toHaveLength(2);
    expect(seen.filter((c) => c.startsWith("DELETE /statsapi/auth"))).toEqual([]);
    expect(seen.filter((c) => c.startsWith("GET /statsapi/cfg/"))).toHaveLength(4);
  });
});
