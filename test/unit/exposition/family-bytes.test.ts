import { describe, expect, it } from "vitest";
import { encodeFamilies, withOtherHeaders } from "../../../src/exposition/family-bytes.js";
import { partsOf } from "../../../src/exposition/prepared-statistics.js";

const families = [
  { name: "a", header: "# HELP a é\n", samples: 'a{x="ü"} 1\na{x="v"} 2\n' },
  { name: "b", header: "# HELP b\n", samples: "b 3\n" },
];

describe("encodeFamilies", () => {
  it("lays the families out one after another, with byte offsets of each header and its samples", () => {
    const { bytes, spans } = encodeFamilies(families);
    expect(bytes.toString("utf8")).toBe(families.map((f) => f.header + f.samples).join(""));
    for (const [i, span] of spans.entries()) {
      expect(span.name).toBe(families[i]!.name);
      expect(bytes.subarray(span.start, span.samplesStart).toString("utf8")).toBe(families[i]!.header);
      expect(bytes.subarray(span.samplesStart, span.end).toString("utf8")).toBe(families[i]!.samples);
    }
    expect(spans.at(-1)!.end).toBe(bytes.length);
  });

  it("gives a buffer of its own, safe to transfer to another thread (not a slice of Node's pool)", () => {
    const { bytes } = encodeFamilies(families);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
  });

  it("encodes nothing to an empty buffer", () => {
    expect(encodeFamilies([])).toEqual({ bytes: Buffer.alloc(0), spans: [] });
  });
});

describe("withOtherHeaders", () => {
  it("puts each family's other header before its samples, as views of the same bytes", () => {
    const text = encodeFamilies(families);
    const headers = encodeFamilies(families.map((f) => ({ name: f.name, header: `# TYPE ${f.name} gauge\n`, samples: "" })));
    const chunks = withOtherHeaders(text.bytes, text.spans, headers.bytes, headers.spans);
    expect(Buffer.concat(chunks).toString("utf8")).toBe('# TYPE a gauge\na{x="ü"} 1\na{x="v"} 2\n# TYPE b gauge\nb 3\n');
    expect(chunks[1]!.buffer).toBe(text.bytes.buffer);
    expect(chunks[0]!.buffer).toBe(headers.bytes.buffer);
  });

  it("refuses headers that do not match the families", () => {
    const text = encodeFamilies(families);
    const headers = encodeFamilies([{ name: "a", header: "# TYPE a gauge\n", samples: "" }]);
    expect(() => withOtherHeaders(text.bytes, text.spans, headers.bytes, headers.spans)).toThrow("no other header for family b");
  });
});

describe("partsOf", () => {
  it("cuts the chunks into consecutive parts of at most the size, as views", () => {
    const chunks = [Buffer.from("abc"), Buffer.from("defgh"), Buffer.from("ij")];
    const parts = partsOf(chunks, 4);
    expect(parts.map((part) => Buffer.concat(part).toString())).toEqual(["abcd", "efgh", "ij"]);
    expect(parts[0]![1]!.buffer).toBe(chunks[1]!.buffer);
    expect(partsOf(chunks, 100).map((part) => part.length)).toEqual([3]);
    expect(partsOf([], 4)).toEqual([]);
  });
});
