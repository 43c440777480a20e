// Load generation with undici: concurrent scrapers (one keep-alive connection each) and a /healthz prober.
import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";

export interface LatencyStats {
  n: number;
  median: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of milliseconds. */
export function latencyStats(samples: readonly number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  return { n: sorted.length, median: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN };
}

export interface Fetched {
  ms: number;
  bytes: number;
  text?: string;
}

/** One GET, timed to the last byte. The body is kept as text only when asked. */
export async function fetchTimed(pool: Pool, path: string, gzip: boolean, keepText = false): Promise<Fetched> {
  const started = performance.now();
  const { statusCode, body } = await pool.request({ method: "GET", path, headers: gzip ? { "accept-encoding": "gzip" } : {} });
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (keepText) chunks.push(chunk);
  }
  const ms = performance.now() - started;
  if (statusCode !== 200) throw new Error(`GET ${path}: status ${statusCode}`);
  return { ms, bytes, ...(keepText && { text: Buffer.concat(chunks).toString("utf8") }) };
}

export interface ScrapeLoad {
  url: string;
  path: string;
  gzip: boolean;
  concurrency: number;
  /** No new scrape starts after this long (each scraper makes at least one). */
  budgetMs: number;
  maxPerScraper: number;
}

export async function scrapeLoad(load: ScrapeLoad): Promise<{ latencies: number[]; bytes: number; wallMs: number }> {
  const pool = new Pool(load.url, { connections: load.concurrency, bodyTimeout: 120_000, headersTimeout: 120_000 });
  const latencies: number[] = [];
  let bytes = 0;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: load.concurrency }, async () => {
        for (let i = 0; i < load.maxPerScraper && (i === 0 || performance.now() - started < load.budgetMs); i++) {
          const fetched = await fetchTimed(pool, load.path, load.gzip);
          latencies.push(fetched.ms);
          bytes = fetched.bytes;
        }
      }),
    );
  } finally {
    await pool.close();
  }
  return { latencies, bytes, wallMs: performance.now() - started };
}

/** Probes /healthz every `everyMs` until `until` resolves; each probe's send time (epoch ms) and latency. */
export async function probeHealth(url: string, everyMs: number, until: Promise<unknown>): Promise<{ at: number; ms: number }[]> {
  const pool = new Pool(url, { connections: 1 });
  const probes: { at: number; ms: number }[] = [];
  let done = false;
  void until.finally(() => (done = true));
  try {
    while (!done) {
      const at = Date.now();
      probes.push({ at, ms: (await fetchTimed(pool, "/healthz", false)).ms });
      await sleep(everyMs);
    }
  } finally {
    await pool.close();
  }
  return probes;
}
