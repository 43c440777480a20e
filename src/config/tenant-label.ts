// Its own module, importing nothing: the statistics worker adds this label too, and must not load the
// config schema (zod) to know its name.
/** The label every series of a tenant carries in a config with tenants; its value is the tenant's name. */
export const TENANT_LABEL = "tenant";
