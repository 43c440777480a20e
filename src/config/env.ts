import type { PathSegment } from "./errors.js";
import { formatPath } from "../document/path.js";
import type { ConfigIssue } from "./types.js";

// `$${` is a literal `${`; `${NAME}` is replaced; anything else after `${` is an error.
const REFERENCE = /\$\$\{|\$\{([^}]*)(\})?/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function expandString(text: string, env: NodeJS.ProcessEnv, path: string, issues: ConfigIssue[]): string {
  if (!text.includes("${")) return text;
  return text.replace(REFERENCE, (match: string, name: string | undefined, close: string | undefined) => {
    if (match === "$${") return "${";
    if (close === undefined) {
      issues.push({ path, message: 'unterminated "${": write ${NAME}, or $${ for a literal "${"' });
      return "";
    }
    if (name === undefined || !NAME.test(name)) {
      issues.push({ path, message: `invalid variable reference "\${${name ?? ""}}": expected \${NAME} with NAME like [A-Za-z_][A-Za-z0-9_]*` });
      return "";
    }
    const value = env[name];
    if (value === undefined) {
      issues.push({ path, message: `environment variable ${name} is not set` });
      return "";
    }
    return value;
  });
}

/** Expands `${VAR}` in every string value of a parsed YAML tree (not in keys). Returns a new tree. */
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
