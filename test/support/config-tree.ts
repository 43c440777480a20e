// Builds config texts for tests: a valid tree, changed at one YAML path. JSON is valid YAML.

export const SECRET = "Zq9-very-secret-value";
export const REMOVE = Symbol("remove");

export function validTree(): Record<string, unknown> {
  return {
    upstream: {
      url: "https://bp.example.com",
      tenant_url: "example.brightpattern.com",
      auth: { client_id: "wallboard", client_secret: SECRET },
    },
    subscription: {
      apps: [
        {
          app_id: "wb",
          stats_totals: ["in_calls_waiting"],
          service_grids: [
            {
              id: "services",
              columns: [
                { id: "name", stat_name: "name" },
                { id: "waiting", stat_name: "in_calls_waiting" },
              ],
            },
          ],
          agent_grids: [
            {
              id: "agents",
              columns: [
                { id: "login", stat_name: "login_id" },
                { id: "state", stat_name: "acd_state" },
              ],
            },
          ],
        },
      ],
    },
  };
}

/** `a.b[0].c` → ["a", "b", 0, "c"]. */
function segments(path: string): (string | number)[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map(([, key, index]) => (index === undefined ? (key ?? "") : Number(index)));
}

/** Sets (or removes) the value at a path, creating mappings on the way. */
export function setAt(tree: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const parts = segments(path);
  const last = parts.pop();
  let node = tree as Record<string | number, unknown>;
  for (const part of parts) {
    if (typeof node[part] !== "object" || node[part] === null) node[part] = {};
    node = node[part] as Record<string | number, unknown>;
  }
  if (last === undefined) throw new Error(`empty path ${path}`);
  if (value === REMOVE) delete node[last];
  else node[last] = value;
  return tree;
}

/** The valid config with some paths changed, as YAML text. */
export function configText(changes: Record<string, unknown> = {}): string {
  const tree = validTree();
  for (const [path, value] of Object.entries(changes)) setAt(tree, path, value);
  return JSON.stringify(tree, null, 2);
}
