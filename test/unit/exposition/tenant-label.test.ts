import { describe, expect, it } from "vitest";
import { combineTexts, combinedChunks } from "../../../src/exposition/combined.js";
import { familySpans, withTenantLabel } from "../../../src/exposition/tenant-label.js";
import { promtool } from "../metrics/exposition-reader.js";

const TEXT = [
  "# HELP bp_waiting Calls waiting.",
  "# TYPE bp_waiting gauge",
  'bp_waiting{app_id="wb"} 3',
  "# HELP bp_handled A total.",
  "# TYPE bp_handled gauge",
  "bp_handled 7",
  "# HELP bp_agent_info Agent text.",
  "# TYPE bp_agent_info gauge",
  'bp_agent_info{agent="a {b} c",team="x y"} 1',
  "",
].join("\n");

describe("withTenantLabel", () => {
  it("puts tenant first on every sample, with or without labels, whatever the label values hold", () => {
    const labelled = withTenantLabel(TEXT, "acme");
    expect(labelled).toContain('bp_waiting{tenant="acme",app_id="wb"} 3\n');
    expect(labelled).toContain('bp_handled{tenant="acme"} 7\n');
    expect(labelled).toContain('bp_agent_info{tenant="acme",agent="a {b} c",team="x y"} 1\n');
    expect(labelled.split("\n").filter((l) => l.startsWith("#"))).toEqual(TEXT.split("\n").filter((l) => l.startsWith("#")));
    expect(withTenantLabel("x{} 1\n", "t")).toBe('x{tenant="t"} 1\n');
    expect(withTenantLabel("", "t")).toBe("");
    expect(promtool(labelled).output.trim()).toBe("");
  });
});

describe("familySpans and combining tenants", () => {
  it("finds each family's header and samples as byte offsets (non-ASCII text included)", () => {
    const text = withTenantLabel(TEXT.replace("a {b} c", "Zoë"), "t");
    const plain = Buffer.from(text);
    const spans = familySpans(text);
    expect(spans.map((s) => s.name)).toEqual(["bp_waiting", "bp_handled", "bp_agent_info"]);
    expect(plain.subarray(spans[2]!.samplesStart, spans[2]!.end).toString()).toBe('bp_agent_info{tenant="t",agent="Zoë",team="x y"} 1\n');
    expect(spans.at(-1)!.end).toBe(plain.length);
  });

  it("serves several tenants as one exposition: each family's header once, then every tenant's samples", () => {
    const texts = ["a", "b"].map((t) => withTenantLabel(t === "b" ? TEXT.split("# HELP bp_handled")[0]! : TEXT, t));
    const combined = Buffer.concat(combinedChunks(texts.map((text) => ({ plain: Buffer.from(text), families: familySpans(text) })))).toString();
    expect(combined.match(/# HELP bp_waiting/g)).toHaveLength(1);
    expect(combined).toContain('bp_waiting{tenant="a",app_id="wb"} 3\nbp_waiting{tenant="b",app_id="wb"} 3\n# HELP bp_handled');
    expect(promtool(combined).output.trim()).toBe("");
    expect(combineTexts(texts)).toBe(combined);
  });
});
