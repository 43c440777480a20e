import { execFileSync } from "node:child_process";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { prepareStatistics } from "../../../src/exposition/prepared-statistics.js";
import { gzipChunks, plainChunks } from "../../../src/exposition/scrape-body.js";
import { EMPTY_STATISTICS } from "../../../src/exposition/prepared-statistics.js";

const statistics = Array.from({ length: 5_000 }, (_, i) => `brightpattern_agent_state{agent="agent${i}",state="ready"} ${i % 2}\n`).join("");
const selfMetrics = '# TYPE brightpattern_up gauge\nbrightpattern_up 1\n# HELP x "é" ünïcödé\n';

describe("scrape bodies", () => {
  it("a plain body is the statistics followed by the self-metrics", async () => {
    const prepared = await prepareStatistics(statistics);
    expect(Buffer.concat(plainChunks(prepared, selfMetrics)).toString("utf8")).toBe(statistics + selfMetrics);
  });

  it("a gzip body is one valid gzip member holding both parts (zlib)", async () => {
    const prepared = await prepareStatistics(statistics);
    const body = Buffer.concat(gzipChunks(prepared, selfMetrics));
    expect(zlib.gunzipSync(body).toString("utf8")).toBe(statistics + selfMetrics);
  });

  it("the gzip command accepts it too, checksum included", async () => {
    const prepared = await prepareStatistics(statistics);
    const body = Buffer.concat(gzipChunks(prepared, selfMetrics));
    expect(execFileSync("gzip", ["-t"], { input: body }).toString()).toBe("");
    expect(execFileSync("gzip", ["-dc"], { input: body }).toString("utf8")).toBe(statistics + selfMetrics);
  });

  it("serves the same prepared statistics with different self-metrics", async () => {
    const prepared = await prepareStatistics(statistics);
    for (const tail of ["a 1\n", "b 2\n", ""]) {
      expect(zlib.gunzipSync(Buffer.concat(gzipChunks(prepared, tail))).toString()).toBe(statistics + tail);
    }
  });

  it("works with no statistics at all", async () => {
    expect(zlib.gunzipSync(Buffer.concat(gzipChunks(EMPTY_STATISTICS, selfMetrics))).toString()).toBe(selfMetrics);
    expect(zlib.gunzipSync(Buffer.concat(gzipChunks(await prepareStatistics(""), ""))).toString()).toBe("");
  });

  it("a corrupted checksum is detected (the trailer really is checked)", async () => {
    const body = Buffer.concat(gzipChunks(await prepareStatistics(statistics), selfMetrics));
    const at = body.length - 8;
    body.writeUInt8(body.readUInt8(at) ^ 0xff, at);
    expect(() => zlib.gunzipSync(body)).toThrow();
  });
});
