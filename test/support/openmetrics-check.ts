// A strict check of an OpenMetrics exposition with Prometheus's own OpenMetrics parser. `promtool check
// metrics` (Debian's 2.42) reads the text format 0.0.4 only (it stops at `stateset`); `promtool tsdb
// create-blocks-from openmetrics` parses OpenMetrics 1.0 as Prometheus does (TYPE, UNIT, info and
// stateset families, `# EOF`) and wants a timestamp on every sample, so each gets the same one here.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promtool } from "../unit/prometheus/promtool.js";

export async function checkOpenMetrics(body: string): Promise<{ code: number; output: string }> {
  const stamped = body.replace(/^([^#\n].*)$/gm, "$1 1796083200");
  const dir = await mkdtemp(join(tmpdir(), "bp-openmetrics-"));
  try {
    await writeFile(join(dir, "exposition.om"), stamped);
    return await promtool(["tsdb", "create-blocks-from", "openmetrics", join(dir, "exposition.om"), join(dir, "blocks")]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
