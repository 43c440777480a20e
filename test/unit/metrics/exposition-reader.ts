// A strict reader of the Prometheus text format 0.0.4, independent of prom-client, for the tests: it
// throws on anything a scraper could choke on (bad escapes, a family split in two, duplicate series,
// samples without TYPE, invalid names or values).
import { spawnSync } from "node:child_process";

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// As Go's ParseFloat reads them: NaN and Inf in any case (prom-client writes "Nan").
const VALUE = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|[+-]?inf)$/i;

function parseLabels(text: string, line: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1; // after "{"
  while (text[i] !== "}") {
    const eq = text.indexOf("=", i);
    const name = text.slice(i, eq);
    if (eq < 0 || !LABEL.test(name)) throw new Error(`line ${line}: bad label name "${name}"`);
    if (Object.hasOwn(labels, name)) throw new Error(`line ${line}: label ${name} twice`);
    if (text[eq + 1] !== '"') throw new Error(`line ${line}: label ${name} value not quoted`);
    let value = "";
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === "\\") {
        const next = text[++j];
        if (next === "\\") value += "\\";
        else if (next === '"') value += '"';
        else if (next === "n") value += "\n";
        else throw new Error(`line ${line}: bad escape \\${next ?? ""}`);
      } else value += text[j];
    }
    if (j >= text.length) throw new Error(`line ${line}: unterminated label value`);
    labels[name] = value;
    i = j + 1;
    if (text[i] === ",") i++;
    else if (text[i] !== "}") throw new Error(`line ${line}: expected , or } after label ${name}`);
  }
  return { labels, rest: text.slice(i + 1) };
}

/** The family a sample name belongs to: itself, or a histogram/summary it is a _bucket/_sum/_count of. */
function familyOf(name: string, typed: Map<string, string>): string | undefined {
  if (typed.has(name)) return name;
  const base = name.replace(/_(?:bucket|sum|count)$/, "");
  const type = typed.get(base);
  return type === "histogram" || type === "summary" ? base : undefined;
}

/** Every sample of an exposition, in order. */
export function readExposition(text: string): Sample[] {
  if (text !== "" && !text.endsWith("\n")) throw new Error("the exposition must end with a newline");
  const samples: Sample[] = [];
  const typed = new Map<string, string>();
  const done = new Set<string>();
  const series = new Set<string>();
  let current = "";
  text
    .split("\n")
    .slice(0, -1)
    .forEach((line, index) => {
      const n = index + 1;
      if (line === "") return; // the format ignores empty lines (prom-client writes them between families)
      const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
      if (meta !== null) {
        const [, kind, name = "", rest = ""] = meta;
        if (!NAME.test(name)) throw new Error(`line ${n}: bad metric name ${name}`);
        if (kind === "TYPE") {
          if (typed.has(name)) throw new Error(`line ${n}: second TYPE for ${name}`);
          typed.set(name, rest);
        } else if (!/^(?:[^\\]|\\[\\n])*$/.test(rest)) throw new Error(`line ${n}: bad escape in HELP`);
        return;
      }
      const brace = line.indexOf("{");
      const nameEnd = brace < 0 ? line.indexOf(" ") : brace;
      const name = line.slice(0, nameEnd);
      if (nameEnd < 0 || !NAME.test(name)) throw new Error(`line ${n}: not a sample: ${line.slice(0, 80)}`);
      const family = familyOf(name, typed);
      if (family === undefined) throw new Error(`line ${n}: sample of ${name} without TYPE`);
      if (family !== current) {
        if (done.has(family)) throw new Error(`line ${n}: family ${family} is split`);
        done.add(current);
        current = family;
      }
      const { labels, rest } = brace < 0 ? { labels: {}, rest: line.slice(nameEnd) } : parseLabels(line.slice(brace), n);
      const value = rest.startsWith(" ") ? rest.slice(1) : "";
      if (!VALUE.test(value)) throw new Error(`line ${n}: bad value "${value}"`);
      const id = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
      if (series.has(id)) throw new Error(`line ${n}: duplicate series ${id.slice(0, 200)}`);
      series.add(id);
      samples.push({ name, labels, value: /nan/i.test(value) ? Number.NaN : Number(value.replace(/inf$/i, "Infinity")) });
    });
  return samples;
}

/** `promtool check metrics` on the text: its exit code and what it said (lint problems and parse errors). */
export function promtool(text: string): { status: number | null; output: string } {
  const result = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
  if (result.error !== undefined) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
