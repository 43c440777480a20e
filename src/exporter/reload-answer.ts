// What POST /-/reload tells the client about a failed reload: how many problems and at which YAML paths,
// never the messages or file names ("cannot read /run/secrets/...", "tenants.d/acme.yaml: ..."): whoever
// can post may not read the file system. The log has everything.
import { ConfigError } from "../config/errors.js";

/** A YAML path such as `subscription.apps[0].service_grids[1].limit`; a tenant file's issue path names the file. */
const YAML_PATH = /^[A-Za-z_][\w.[\]-]*$/;

export function reloadFailureAnswer(error: unknown): string {
  if (!(error instanceof ConfigError)) return "config reload failed: the running config is kept, the exporter's log has the details";
  const paths = [...new Set(error.issues.map((issue) => issue.path).filter((path) => YAML_PATH.test(path)))];
  const count = error.issues.length === 1 ? "1 problem" : `${error.issues.length} problems`;
  const where = paths.length === 0 ? "" : ` (at ${paths.join(", ")})`;
  return `config reload failed, ${count}${where}: the running config is kept, the exporter's log has the details`;
}
