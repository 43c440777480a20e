import type { ConfigIssue } from "./types.js";

/** A YAML path segment: a key or an array index. */
export type PathSegment = string | number;


/** One issue per line, `path: message` (a file-level issue has an empty path and shows the message alone). */
export function formatConfigIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => (issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`)).join("\n");
}

/** Thrown by parseConfig/loadConfig: every problem found, each with its YAML path. */
export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
  readonly issues: ConfigIssue[];
  readonly fileName: string | undefined;

  constructor(issues: ConfigIssue[], fileName?: string) {
    const head = `${fileName ?? "config"}: ${issues.length === 1 ? "1 problem" : `${issues.length} problems`}`;
    const lines = formatConfigIssues(issues)
      .split("\n")
      .map((line) => `${fileName ?? "config"}: ${line}`);
    super([head, ...lines].join("\n"));
    this.name = "ConfigError";
    this.issues = issues;
    this.fileName = fileName;
  }
}
