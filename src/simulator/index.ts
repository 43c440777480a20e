// The simulator's public face: a realistic fake Bright Pattern Stats API server (tests, demo, benchmarks).
export { SIMULATOR_DEFAULTS, startSimulator } from "./server.js";
export { simulatedTenantUrls } from "./tenants.js";
export type { RequestRecord, Simulator, SimulatorOptions } from "./server.js";
export type { Faults } from "./faults.js";
