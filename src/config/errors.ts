import type { ConfigIssue } from "./types.js";

/** A YAML path segment: a key or an array index. */
export type PathSegment = string | number;


/** One issue per line, `path: message` (a file-level issue has an empty path and shows the message alone). */
export function formatConfigIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => (issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`)).join("\n");
}

/** Warnings as check-config prints them: `file: warning: path: message`, one per line. */
export function formatConfigWarnings(warnings: readonly ConfigIssue[], fileName?: string): string {
  return warnings.length === 0 ? "" : formatConfigIssues(warnings).split("\n").map((line) => `${fileName ?? "config"}: warning: ${line}`).join("\n");
}

/** Thrown by parseConfig/loadConfig: every problem found, each with its YAML path, then the warnings. */
export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
  readonly issues: ConfigIssue[];
  /** Not fatal on their own (an unknown statistic name), but often the cause: shown with the problems. */
  readonly warnings: ConfigIssue[];
  readonly fileName: string | undefined;

  constructor(issues: ConfigIssue[], fileName?: string, warnings: ConfigIssue[] = []) {
    const head = `${fileName ?? "config"}: ${issues.length === 1 ? "1 problem" : `${issues.length} problems`}`;
    const lines = formatConfigIssues(issues)
      .split("\n")
      .map((line) => `${fileName ?? "config"}: ${line}`);
    const warningLines = warnings.length === 0 ? [] : [formatConfigWarnings(warnings, fileName)];
    super([head, ...lines, ...warningLines].join("\n"));
    this.name = "ConfigError";
    this.issues = issues;
    this.warnings = warnings;
    this.fileName = fileName;
  }
}
