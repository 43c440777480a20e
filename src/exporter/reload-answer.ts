// What POST /-/reload tells the client about a failed reload: where in the YAML the problems are, never the
// messages (they name files and folders: "cannot read /run/secrets/..."). The log has everything.
import { ConfigError } from "../config/errors.js";

export function reloadFailureAnswer(error: unknown): string {
  const paths = error instanceof ConfigError ? [...new Set(error.issues.map((issue) => issue.path).filter((path) => path !== ""))] : [];
  const where = paths.length === 0 ? "" : ` (problems at ${paths.join(", ")})`;
  return `config reload failed${where}: the running config is kept, the exporter's log has the details`;
}
