// Where in a JSON document a problem is, written the way a reader would type it: `wallboard.agent_grids[0].values[3]`.

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `path` + `.key` (or `["odd key"]` when the key is not an identifier); `key` alone at the top. */
export function appendKey(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

export function appendIndex(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** A path given as segments (zod issues). */
export function formatPath(segments: readonly PropertyKey[]): string {
  let path = "";
  for (const segment of segments) {
    path = typeof segment === "number" ? appendIndex(path, segment) : appendKey(path, String(segment));
  }
  return path === "" ? "(top level)" : path;
}
