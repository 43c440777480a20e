// OpenMetrics 1.0 text (application/openmetrics-text; version=1.0.0), served when a scraper asks for it
// (Prometheus does, first). The samples are the text format's, byte for byte: only the family headers
// differ (TYPE stateset / info, UNIT), and the body ends with `# EOF`.
//
// One deliberate deviation: a StateSet's state label is `state` in both formats, where OpenMetrics wants
// the label named after the family. Prometheus stores the label as written, so a query (`count by
// (state) (brightpattern_agent_state == 1)`) must not depend on the format a scraper negotiated.
import { escapeHelp } from "./text-format.js";

export const OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";
export const TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** What a scrape asked for: the text format 0.0.4 (the default) or OpenMetrics 1.0. */
export type ExpositionFormat = "text" | "openmetrics";
/** The last line of every OpenMetrics exposition. */
export const OPENMETRICS_EOF = "# EOF\n";

/** The OpenMetrics unit of a gauge's value type (plan value types, and the chat family's). */
const UNITS: Readonly<Record<string, string>> = { duration: "seconds", percent: "ratio", timestamp: "seconds", chat_timestamps: "seconds" };

/** The family header: TYPE, UNIT (when the name ends in it, as the spec requires), HELP. */
export function openMetricsHeader(name: string, kind: "gauge" | "stateset" | "info", valueType: string, help: string): string {
  // An info family is named without `_info`; its samples keep it.
  const family = kind === "info" ? name.replace(/_info$/, "") : name;
  const unit = kind === "gauge" ? UNITS[valueType] : undefined;
  const unitLine = unit !== undefined && family.endsWith(`_${unit}`) ? `# UNIT ${family} ${unit}\n` : "";
  return `# TYPE ${family} ${kind}\n${unitLine}# HELP ${family} ${escapeHelp(help)}\n`;
}

/** Units named by a metric name's last part, for the self-metrics (prom-client names them so). */
const NAME_UNITS = ["seconds", "bytes", "ratio"];

/**
 * prom-client's text exposition (the self-metrics) as OpenMetrics, without `# EOF`: a counter's family
 * drops the `_total` that its samples keep, and a name ending in a unit gets its UNIT line. (prom-client's
 * own OpenMetrics mode renames the counters of the registry in place, which would break the text format
 * rendered from the same registry.)
 */
export function textToOpenMetrics(text: string): string {
  const types = new Map<string, string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(match[1] ?? "", match[2] ?? "");
  const familyOf = (name: string) => (types.get(name) === "counter" ? name.replace(/_total$/, "") : name);
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const meta = /^# (HELP|TYPE) (\S+)(.*)$/.exec(line);
    if (meta === null) {
      out.push(line);
      continue;
    }
    const [, keyword, name = "", rest] = meta;
    const family = familyOf(name);
    // TYPE first (the spec's order), then UNIT, then HELP: prom-client writes HELP before TYPE.
    if (keyword === "HELP") continue;
    const help = new RegExp(`^# HELP ${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} (.*)$`, "m").exec(text)?.[1];
    const unit = NAME_UNITS.find((suffix) => family.endsWith(`_${suffix}`));
    out.push(`# TYPE ${family}${rest}`);
    if (unit !== undefined) out.push(`# UNIT ${family} ${unit}`);
    if (help !== undefined) out.push(`# HELP ${family} ${help}`);
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}
