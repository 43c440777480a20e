// The tenant's configuration: services, teams, agents and dispositions, generated once from the seed.
import type { Random } from "./random.js";

export interface ServiceProfile {
  id: string;
  name: string;
  slThresholdSeconds: number;
  /** Service level target, 0–1. */
  slTarget: number;
  arrivalsPerSecond: number;
  patienceMeanSeconds: number;
  talkMeanSeconds: number;
}

export interface TeamProfile {
  id: string;
  name: string;
}

export interface AgentProfile {
  id: string;
  loginId: string;
  firstName: string;
  lastName: string;
  extension: string;
  team: number;
  /** Indexes into `Roster.services` the agent is skilled for. */
  services: number[];
}

export interface Disposition {
  name: string;
  agentCanSelect: boolean;
  inbound: boolean;
  outbound: boolean;
  preview: boolean;
}

export interface Roster {
  services: ServiceProfile[];
  teams: TeamProfile[];
  agents: AgentProfile[];
  dispositions: Disposition[];
}

// The first six are the demo's (the default size): the queues a supervisor expects on a wallboard. A numeric
// name follows later on purpose: real tenants have them and exporters must not treat them as numbers.
const SERVICE_NAMES = [
  "Sales", "Support", "Billing", "Technical Support", "Retention", "Collections", "VIP Care", "Soporte Español",
  "Claims", "4410", "Returns", "Onboarding", "Renewals", "Fraud", "Appointments", "Outbound Campaign",
];
const REGIONS = ["EMEA", "APAC", "East", "West", "North", "South", "Central", "LATAM"];
const TEAM_NAMES = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "Nord", "Süd", "Été"];
const FIRST_NAMES = [
  "John", "Mary", "José", "Aoife", "Li", "Priya", "Ahmed", "Anna", "Björn", "Chloé", "David", "Emma", "Fatima", "George",
  "Hana", "Ivan", "Jürgen", "Karen", "Luis", "Mei", "Noah", "Olga", "Paul", "Renée", "Sam", "Tomás", "Uma", "Zoë",
];
const LAST_NAMES = [
  "Smith", "Núñez", "Johnson", "O'Brien", "Wang", "Patel", "Hassan", "Kowalski", "Müller", "García", "Brown", "Dubois",
  "Nguyen", "Rossi", "Søren", "Tanaka", "Ivanova", "Lee", "Martin", "Çelik", "Fernández", "Wilson", "Kim", "Łukasz",
];

export const DISPOSITIONS: readonly Disposition[] = [
  d("Resolved", true, true, false, false),
  d("Sale", true, true, true, true),
  d("No Sale", true, true, true, true),
  d("Callback Requested", true, true, true, true),
  d("Escalated", true, true, false, false),
  d("Transferred", false, true, true, false),
  d("Wrong Number", true, true, true, true),
  d("Voicemail", true, false, true, true),
  d("No Answer", false, false, true, true),
  d("Busy", false, false, true, true),
  d("Do Not Call", true, false, true, true),
  d("Follow-up Needed", true, true, true, false),
];

function d(name: string, agentCanSelect: boolean, inbound: boolean, outbound: boolean, preview: boolean): Disposition {
  return { name, agentCanSelect, inbound, outbound, preview };
}

export function serviceName(index: number): string {
  const base = SERVICE_NAMES[index % SERVICE_NAMES.length] as string;
  const round = Math.floor(index / SERVICE_NAMES.length);
  if (round === 0) return base;
  const region = REGIONS[(round - 1) % REGIONS.length] as string;
  const lap = Math.floor((round - 1) / REGIONS.length);
  return lap === 0 ? `${base} ${region}` : `${base} ${region} ${lap + 1}`;
}

/** "José Núñez" → "jnunez": login ids are ASCII, like the platform's. */
export function loginIdOf(firstName: string, lastName: string): string {
  const ascii = (text: string) =>
    text.normalize("NFKD").replace(/[øØ]/g, "o").replace(/[łŁ]/g, "l").replace(/[^A-Za-z]/g, "").toLowerCase();
  return `${ascii(firstName).slice(0, 1)}${ascii(lastName)}`;
}

export interface RosterSize {
  services: number;
  agents: number;
}

export function buildRoster(random: Random, size: RosterSize): Roster {
  const teamCount = Math.max(1, Math.ceil(size.agents / 12));
  const teams = Array.from({ length: teamCount }, (_, i) => ({
    id: random.guid(),
    name: i < TEAM_NAMES.length ? `Team ${TEAM_NAMES[i]}` : `Team ${i + 1}`,
  }));
  const usedLogins = new Map<string, number>();
  const agents: AgentProfile[] = [];
  for (let i = 0; i < size.agents; i++) {
    const firstName = random.pick(FIRST_NAMES);
    const lastName = random.pick(LAST_NAMES);
    const base = loginIdOf(firstName, lastName);
    const seen = usedLogins.get(base) ?? 0;
    usedLogins.set(base, seen + 1);
    agents.push({
      id: random.guid(),
      loginId: seen === 0 ? base : `${base}${seen + 1}`,
      firstName,
      lastName,
      extension: String(1001 + i),
      team: i % teamCount,
      services: skillsOf(random, i, size.services),
    });
  }
  return { services: buildServices(random, size), teams, agents, dispositions: [...DISPOSITIONS] };
}

// Each agent has a primary service (spread evenly so every service is staffed) and maybe one or two more.
function skillsOf(random: Random, agentIndex: number, serviceCount: number): number[] {
  if (serviceCount === 0) return [];
  const skills = new Set([agentIndex % serviceCount]);
  const extra = random.int(0, 2);
  for (let k = 0; k < extra; k++) skills.add(random.int(0, serviceCount - 1));
  return [...skills];
}

function buildServices(random: Random, size: RosterSize): ServiceProfile[] {
  // Offered load sized so that the logged-in, not-on-break agents are busy most of the time without a runaway queue.
  const handleSeconds = 240;
  const totalRate = (size.agents * 0.85 * 0.6) / handleSeconds;
  const weights = Array.from({ length: size.services }, () => 0.5 + random.next());
  const weightSum = weights.reduce((a, b) => a + b, 0) || 1;
  return weights.map((weight, i) => ({
    id: random.guid(),
    name: serviceName(i),
    slThresholdSeconds: random.pick([20, 20, 30, 60]),
    slTarget: random.pick([0.8, 0.8, 0.9, 0.7]),
    arrivalsPerSecond: (totalRate * weight) / weightSum,
    patienceMeanSeconds: random.int(90, 240),
    talkMeanSeconds: random.int(150, 260),
  }));
}
