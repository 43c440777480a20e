// Configs with tenants for the tests: the example config's wallboard subscription for every tenant, each
// tenant with its own upstream. And an upstream that accepts connections and never answers.
import { readFileSync } from "node:fs";
import { type Server, type Socket, createServer } from "node:net";
import { load } from "js-yaml";
import { EXAMPLE_CONFIG_PATH } from "../../src/exporter/demo.js";

export interface TenantSpec {
  name: string;
  url: string;
  tenantUrl: string;
  secret?: string;
}

const example = load(readFileSync(EXAMPLE_CONFIG_PATH, "utf8")) as { subscription: unknown };

/** A config text in the tenants form (JSON is YAML). */
export function tenantsConfigText(tenants: readonly TenantSpec[], poll: Record<string, string>, timeout = "5s", listen = "127.0.0.1:0"): string {
  return JSON.stringify({
    poll,
    web: { listen_address: listen },
    tenants: tenants.map((t) => ({
      name: t.name,
      upstream: { url: t.url, tenant_url: t.tenantUrl, timeout, auth: { client_id: "wallboard", client_secret: t.secret ?? "demo-secret" } },
      subscription: example.subscription,
    })),
  }, null, 2);
}

/** A TCP server that takes every connection and never writes a byte: an upstream that hangs. */
export async function startHangingServer(): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    connections: () => count,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
