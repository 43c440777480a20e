// Several tenants on one simulator, as a service provider's Bright Pattern serves them: each tenant
// (its tenant_url, the OAuth scope) is a contact center of its own, reproducible from its name.

/** The tenant URLs of `simulate --tenants N`: tenant-01.<base> … tenant-N.<base> (zero-padded to sort). */
export function simulatedTenantUrls(count: number, base: string): string[] {
  const width = String(count).length;
  return Array.from({ length: count }, (_, i) => `tenant-${String(i + 1).padStart(Math.max(2, width), "0")}.${base}`);
}

/** The seed of a tenant's contact center: FNV-1a of its name mixed with the simulator's seed. */
export function tenantSeed(tenantUrl: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < tenantUrl.length; i++) {
    hash ^= tenantUrl.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
