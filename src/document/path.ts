// Where in a YAML or JSON document a problem is, written the way a reader would type it:
// `subscription.apps[0].agent_grids`, `wallboard.agent_grids[0].values[3]`, `headers["X-Odd key"]`.

/** A key that reads back unambiguously after a dot: no space, dot, bracket or quote, and not empty. */
const PLAIN_KEY = /^[^\s.[\]"'\\]+$/;

/** `path` + `.key` (or `["odd key"]` when the key would not read back plainly); `key` alone at the top. */
export function appendKey(path: string, key: string): string {
  if (PLAIN_KEY.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

export function appendIndex(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** A path given as segments (zod issues, config checks); "" for the document itself. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let path = "";
  for (const segment of segments) {
    path = typeof segment === "number" ? appendIndex(path, segment) : appendKey(path, String(segment));
  }
  return path;
}

/** A path as shown in a message: the document itself is "(top level)". */
export function shownPath(path: string): string {
  return path === "" ? "(top level)" : path;
}
