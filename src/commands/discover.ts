// Sub-commands that ask the Stats API about the tenant: what to put into a subscription.
import { dump } from "js-yaml";
import type { Logger } from "pino";
import type { CliValues } from "./options.js";
import { loadConfig } from "../config/load.js";
import { StatsApiClient } from "../statsapi/client.js";

async function withClient<T>(configPath: string, logger: Logger, work: (client: StatsApiClient) => Promise<T>, tenant?: string): Promise<T> {
  const config = await loadConfig(configPath, process.env, tenant);
  const client = new StatsApiClient({ upstream: config.upstream, logger });
  try {
    await client.login();
    return await work(client);
  } finally {
    // A session logout ends the user's session on the server: the running exporter's too when it uses the same
    // user (one session per user). The session is left to expire; an OAuth token is simply forgotten.
    if (config.upstream.auth.method === "oauth") await client.logout().catch(() => undefined);
    await client.close();
  }
}

/** Prints the disposition names, one per line, filtered by the API's flags. */
export async function dispositionsCommand(options: { configPath: string; logger: Logger; values: CliValues; tenant?: string }): Promise<number> {
  const { values } = options;
  const names = await withClient(options.configPath, options.logger, (client) =>
    client.getDispositions({
      agentCanSelect: values["agent-can-select"],
      inbound: values.inbound,
      outbound: values.outbound,
      preview: values.preview,
    }),
    options.tenant,
  );
  process.stdout.write(names.map((name) => `${name}\n`).join(""));
  return 0;
}

/** Prints the supervised teams, services and agents as YAML, ready to paste into team_ids / service_ids. */
export async function discoverCommand(options: { configPath: string; logger: Logger; tenant?: string }): Promise<number> {
  const lists = await withClient(options.configPath, options.logger, async (client) => ({
    teams: await client.listTeams(),
    services: await client.listServices(),
    agents: await client.listAgents(),
  }), options.tenant);
  process.stdout.write(
    "# Supervised by this user. Use the ids in agent_grids[].team_ids, service_grids[].service_ids\n" +
      "# and stats_totals_service_ids.\n" +
      dump(lists, { lineWidth: -1 }),
  );
  return 0;
}
