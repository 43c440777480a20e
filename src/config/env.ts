import type { PathSegment } from "./errors.js";
import { formatPath } from "../document/path.js";
import type { ConfigIssue } from "./types.js";

// `$${` is a literal `${`; `${NAME}` is replaced; `${NAME:-default}` too, by `default` when NAME is unset or
// empty (the shell and Compose convention); anything else after `${` is an error.
const REFERENCE = /\$\$\{|\$\{([^}]*)(\})?/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DEFAULT_SEPARATOR = ":-";

/** `NAME` or `NAME:-default`; a default is taken literally (`$${` in it is a literal `${`). */
function splitReference(body: string): { name: string; fallback?: string } {
  const at = body.indexOf(DEFAULT_SEPARATOR);
  if (at === -1) return { name: body };
  return { name: body.slice(0, at), fallback: body.slice(at + DEFAULT_SEPARATOR.length).replaceAll("$${", "${") };
}

function expandString(text: string, env: NodeJS.ProcessEnv, path: string, issues: ConfigIssue[]): string {
  if (!text.includes("${")) return text;
  return text.replace(REFERENCE, (match: string, body: string | undefined, close: string | undefined) => {
    if (match === "$${") return "${";
    if (close === undefined) {
      issues.push({ path, message: 'unterminated "${": write ${NAME} or ${NAME:-default}, or $${ for a literal "${"' });
      return "";
    }
    const reference = splitReference(body ?? "");
    if (!NAME.test(reference.name)) {
      issues.push({
        path,
        message: `invalid variable reference "\${${body ?? ""}}": expected \${NAME} or \${NAME:-default} with NAME like [A-Za-z_][A-Za-z0-9_]*`,
      });
      return "";
    }
    const value = env[reference.name];
    if (reference.fallback !== undefined && (value === undefined || value === "")) return reference.fallback;
    if (value === undefined) {
      issues.push({ path, message: `environment variable ${reference.name} is not set` });
      return "";
    }
    return value;
  });
}

/** Expands `${VAR}` and `${VAR:-default}` in every string value of a parsed YAML tree (not in keys). Returns a new tree. */
export function expandEnv(tree: unknown, env: NodeJS.ProcessEnv, issues: ConfigIssue[]): unknown {
  const walk = (node: unknown, path: PathSegment[]): unknown => {
    if (typeof node === "string") return expandString(node, env, formatPath(path), issues);
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, index]));
    if (node !== null && typeof node === "object") {
      // fromEntries defines own properties, so a "__proto__" key stays a plain key.
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value, [...path, key])]));
    }
    return node;
  };
  return walk(tree, []);
}
