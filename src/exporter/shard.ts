// Which replica polls which tenant: rendezvous (highest-random-weight) hashing of the tenant name.
// Every replica computes the same answer from the tenant name and the shard count alone, with no
// coordination; growing from N to N+1 replicas moves only the tenants the new replica now wins
// (about 1/(N+1) of them), and none move between the replicas that stay.
import { createHash } from "node:crypto";

/** This replica's place: it polls the tenants whose owner is `index` among `count` replicas. */
export interface Shard {
  index: number;
  count: number;
}

/** The environment variable read when --shard is not given. */
export const SHARD_ENV = "BRIGHTPATTERN_EXPORTER_SHARD";

const MAX_SHARDS = 1_000;

export const SHARD_EXPECTED =
  'expected INDEX/COUNT with 0 <= INDEX < COUNT (e.g. "1/3"); INDEX may also be "hostname" or a StatefulSet pod name ("exporter-1"): its ordinal';

/** The weight of one (tenant, shard) pair: the first 8 bytes of a SHA-256 (stable across versions and platforms). */
function weight(tenant: string, index: number): bigint {
  return createHash("sha256").update(`${tenant}\u0000${index}`).digest().readBigUInt64BE(0);
}

/** The shard index (0 … count-1) that polls this tenant. */
export function ownerOf(tenant: string, count: number): number {
  let best = 0;
  let bestWeight = -1n;
  for (let index = 0; index < count; index++) {
    const w = weight(tenant, index);
    if (w > bestWeight) {
      best = index;
      bestWeight = w;
    }
  }
  return best;
}

/** The tenants this shard polls (all of them without sharding). */
export function tenantsOfShard<T extends { name: string }>(tenants: readonly T[], shard: Shard | undefined): T[] {
  if (shard === undefined || shard.count === 1) return [...tenants];
  return tenants.filter((tenant) => ownerOf(tenant.name, shard.count) === shard.index);
}

/** The ordinal at the end of a StatefulSet pod name or hostname ("exporter-2" → 2). */
export function ordinalOf(name: string): number | undefined {
  const match = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?-(\d+)$/i.exec(name.split(".", 1)[0]!);
  return match ? Number(match[2]) : undefined;
}

/** Parses `INDEX/COUNT`; `hostname` as INDEX takes the ordinal of the given host name. */
export function parseShard(text: string, hostname: string): { shard: Shard } | { error: string } {
  const match = /^\s*([^/\s]+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) return { error: `${SHARD_EXPECTED}, got "${text}"` };
  const count = Number(match[2]);
  if (count < 1 || count > MAX_SHARDS) return { error: `COUNT must be from 1 to ${MAX_SHARDS}, got ${count}` };
  const indexText = match[1]!;
  let index: number | undefined;
  if (/^\d+$/.test(indexText)) index = Number(indexText);
  else {
    const name = indexText === "hostname" ? hostname : indexText;
    index = ordinalOf(name);
    if (index === undefined) return { error: `no ordinal at the end of "${name}" (expected a StatefulSet pod name like "exporter-2")` };
  }
  if (index >= count) return { error: `INDEX must be below COUNT, got ${index}/${count}` };
  return { shard: { index, count } };
}
