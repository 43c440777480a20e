// Which exposition a scrape gets, from its Accept header. Prometheus asks
// `application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1`:
// OpenMetrics 1.0 when it is preferred to the text format, the text format 0.0.4 otherwise (the default:
// no header, `*/*`, a tie, or only an OpenMetrics version we do not write).
import type { ExpositionFormat } from "../metrics/openmetrics.js";

interface MediaRange {
  type: string;
  params: Map<string, string>;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  return header.split(",").flatMap((part) => {
    const [range = "", ...rawParams] = part.split(";").map((piece) => piece.trim());
    if (range === "") return [];
    const params = new Map<string, string>();
    for (const param of rawParams) {
      const at = param.indexOf("=");
      if (at > 0) params.set(param.slice(0, at).trim().toLowerCase(), param.slice(at + 1).trim().replace(/^"|"$/g, ""));
    }
    const q = Number(params.get("q") ?? "1");
    return [{ type: range.toLowerCase(), params, q: Number.isFinite(q) ? q : 0 }];
  });
}

/** The best q of the ranges that accept `matches`, 0 when none does. */
function bestQ(ranges: MediaRange[], matches: (range: MediaRange) => boolean): number {
  return ranges.filter(matches).reduce((best, range) => Math.max(best, range.q), 0);
}

export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (accept === undefined || accept === "") return "text";
  const ranges = parseAccept(accept);
  const openMetrics = bestQ(ranges, (r) => r.type === "application/openmetrics-text" && (r.params.get("version") ?? "1.0.0") === "1.0.0");
  const text = bestQ(ranges, (r) => r.type === "text/plain" || r.type === "text/*" || r.type === "*/*");
  return openMetrics > 0 && openMetrics > text ? "openmetrics" : "text";
}
