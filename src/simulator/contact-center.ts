// The living contact center behind the simulator: a pure, seeded model advanced one simulated second per `tick()`.
// Calls arrive per service, wait in queue, are answered by ready skilled agents or abandoned; agents move through
// ready / busy / after_call_work / not_ready / logged out. Nothing here knows about HTTP or statistics formats.
import { type Random, createRandom } from "./random.js";
import { type Roster, buildRoster } from "./roster.js";

export type AcdState = "" | "ready" | "not_ready" | "busy" | "after_call_work";
export type MediaType = "voice" | "chat" | "email";

export const NOT_READY_REASONS = ["Lunch", "Meeting", "Break", "Training"] as const;
const NOT_READY_MEAN_SECONDS: Record<string, number> = { Lunch: 2400, Meeting: 1800, Break: 600, Training: 1200 };
/** Calls abandoned within this many seconds of waiting count as short abandons. */
export const SHORT_ABANDON_SECONDS = 5;

export interface ActiveItem {
  media: MediaType;
  inbound: boolean;
  service: number;
  startedAt: number;
  endsAt: number;
  holdFrom: number;
  holdSeconds: number;
  acwSeconds: number;
}

export interface AgentLive {
  state: AcdState;
  reason: string;
  /** The state the agent asked for after the current item ("not_ready" with `nextReason`), or "". */
  nextState: AcdState;
  nextReason: string;
  stateSince: number;
  stateEndsAt: number;
  /** Simulated second of login; meaningless while logged out. */
  loginAt: number;
  /** Seconds in each state today, not counting the current stretch. */
  readySeconds: number;
  notReadySeconds: number;
  busySeconds: number;
  acwSeconds: number;
  inHandled: number;
  outHandled: number;
  handleSecondsTotal: number;
  item: ActiveItem | null;
  /** Per disposition index (Roster.dispositions), calls closed with it today. */
  dispositions: Uint32Array;
}

export interface ServiceLive {
  /** Waiting calls: arrival second and the second the caller gives up, oldest first. */
  queueArrivals: number[];
  queueGiveUps: number[];
  received: number;
  queued: number;
  answered: number;
  answeredInSl: number;
  answerWaitSeconds: number;
  abandonedInQueue: number;
  shortAbandonedInQueue: number;
  /** In queue plus before the queue (IVR). */
  abandonedTotal: number;
  outAnswered: number;
}

export interface ChatRecord {
  id: string;
  agent: number;
  sentAt: number;
  urgent: boolean;
  content: string;
}

export interface ContactCenterOptions {
  seed: number;
  services: number;
  agents: number;
  /** Epoch seconds of simulated second 0 (chat send times are derived from it). */
  startEpochSeconds: number;
}

const CHAT_LINES = [
  "Queue is building up on Sales, can someone switch?",
  "Reminder: team meeting at 3pm",
  'Customer says "it worked yesterday"',
  "Network issue on floor 2 — IT is on it",
  "Please log your breaks\nThanks!",
  "Café machine is fixed ☕",
  "Escalation for order #4411, call me",
  "Who has the Müller account?",
  "Great job today team 🎉",
  "Back in 5",
];
const MAX_CHAT_HISTORY = 200;

export class ContactCenter {
  readonly roster: Roster;
  readonly agents: AgentLive[];
  readonly services: ServiceLive[];
  readonly chat: ChatRecord[] = [];
  readonly startEpochSeconds: number;
  /** Simulated seconds since start. */
  clock = 0;
  /** Bumped on every tick, so derived views can be cached per version. */
  version = 0;
  private readonly random: Random;
  private chatSequence = 0;
  private readonly inboundDispositions: number[];
  private readonly outboundDispositions: number[];

  constructor(options: ContactCenterOptions) {
    this.random = createRandom(options.seed);
    this.startEpochSeconds = options.startEpochSeconds;
    this.roster = buildRoster(this.random, options);
    const dispositions = this.roster.dispositions;
    this.inboundDispositions = dispositions.flatMap((x, i) => (x.agentCanSelect && x.inbound ? [i] : []));
    this.outboundDispositions = dispositions.flatMap((x, i) => (x.agentCanSelect && x.outbound ? [i] : []));
    this.services = this.roster.services.map((profile) => this.initialService(profile.arrivalsPerSecond));
    this.agents = this.roster.agents.map((profile) => this.initialAgent(profile.services[0] ?? 0));
    for (let i = 0; i < 5; i++) this.maybeChat(1);
  }

  get epochSeconds(): number {
    return this.startEpochSeconds + this.clock;
  }

  tick(steps = 1): void {
    for (let s = 0; s < steps; s++) this.step();
  }

  private step(): void {
    this.clock++;
    this.version++;
    if (this.epochSeconds % 86_400 === 0) this.startNewDay();
    this.arrive();
    for (let i = 0; i < this.agents.length; i++) this.advanceAgent(i);
    this.abandon();
    this.assign();
    this.maybeChat(1 / 40);
  }

  /** "Per day" statistics restart at UTC midnight; what is happening right now (queues, states) carries on. */
  private startNewDay(): void {
    for (const s of this.services) {
      s.answered = s.answeredInSl = s.answerWaitSeconds = 0;
      s.abandonedInQueue = s.shortAbandonedInQueue = s.abandonedTotal = s.outAnswered = 0;
      s.received = s.queued = s.queueArrivals.length; // still waiting, so counted in today's queue
    }
    for (const a of this.agents) {
      // Today's totals count from midnight while state_duration keeps counting: the open stretch's part before
      // midnight is booked as a negative offset, which the stretch's full length cancels when it closes.
      const beforeMidnight = -(this.clock - a.stateSince);
      a.readySeconds = a.state === "ready" ? beforeMidnight : 0;
      a.notReadySeconds = a.state === "not_ready" ? beforeMidnight : 0;
      a.busySeconds = a.state === "busy" ? beforeMidnight : 0;
      a.acwSeconds = a.state === "after_call_work" ? beforeMidnight : 0;
      a.inHandled = a.outHandled = a.handleSecondsTotal = 0;
      a.dispositions.fill(0);
    }
  }

  // ---- the day so far, invented consistently so the first answer already looks like mid-morning -------------

  private initialService(rate: number): ServiceLive {
    const r = this.random;
    const queued = Math.round(rate * 3 * 3600 * (0.8 + 0.4 * r.next()));
    const abandonedInQueue = Math.round(queued * (0.02 + 0.06 * r.next()));
    const ivr = Math.round(queued * 0.02 * r.next());
    const waiting = r.poisson(rate * 60);
    const answered = Math.max(0, queued - abandonedInQueue - waiting);
    const queueArrivals = Array.from({ length: waiting }, () => -r.int(0, 90)).sort((a, b) => a - b);
    return {
      queueArrivals,
      queueGiveUps: queueArrivals.map((arrived) => arrived + 30 + r.int(0, 180)),
      received: queued + ivr,
      queued,
      answered,
      answeredInSl: Math.round(answered * (0.7 + 0.25 * r.next())),
      answerWaitSeconds: Math.round(answered * (5 + 35 * r.next())),
      abandonedInQueue,
      shortAbandonedInQueue: Math.round(abandonedInQueue * 0.3 * r.next()),
      abandonedTotal: abandonedInQueue + ivr,
      outAnswered: Math.round(queued * 0.1 * r.next()),
    };
  }

  private initialAgent(primaryService: number): AgentLive {
    const r = this.random;
    const agent: AgentLive = {
      state: "",
      reason: "",
      nextState: "",
      nextReason: "",
      stateSince: -r.int(0, 3600),
      stateEndsAt: 0,
      loginAt: 0,
      readySeconds: 0,
      notReadySeconds: 0,
      busySeconds: 0,
      acwSeconds: 0,
      inHandled: 0,
      outHandled: 0,
      handleSecondsTotal: 0,
      item: null,
      dispositions: new Uint32Array(this.roster.dispositions.length),
    };
    if (r.chance(0.15)) return agent; // logged out
    agent.loginAt = -r.int(600, 4 * 3600);
    agent.stateSince = agent.loginAt + Math.floor((0 - agent.loginAt) * (0.85 + 0.15 * r.next()));
    const worked = agent.stateSince - agent.loginAt;
    agent.readySeconds = Math.round(worked * 0.2);
    agent.notReadySeconds = Math.round(worked * 0.1);
    agent.acwSeconds = Math.round(worked * 0.1);
    agent.busySeconds = worked - agent.readySeconds - agent.notReadySeconds - agent.acwSeconds;
    agent.inHandled = Math.floor(agent.busySeconds / 200);
    agent.outHandled = Math.floor(agent.inHandled * 0.1 * r.next());
    agent.handleSecondsTotal = agent.busySeconds + agent.acwSeconds;
    for (let k = 0; k < agent.inHandled + agent.outHandled; k++) {
      const pool = k < agent.inHandled ? this.inboundDispositions : this.outboundDispositions;
      const index = r.pick(pool);
      agent.dispositions[index] = (agent.dispositions[index] ?? 0) + 1;
    }
    const roll = r.next();
    if (roll < 0.45) this.startItem(agent, primaryService, true, agent.stateSince);
    else if (roll < 0.55) this.enter(agent, "after_call_work", agent.stateSince, r.int(10, 60));
    else if (roll < 0.7) this.enterNotReady(agent, agent.stateSince, r.pick(NOT_READY_REASONS));
    else this.enter(agent, "ready", agent.stateSince, 0);
    return agent;
  }

  // ---- one simulated second ----------------------------------------------------------------------------------

  private arrive(): void {
    const r = this.random;
    this.roster.services.forEach((profile, i) => {
      const service = this.services[i] as ServiceLive;
      for (let n = r.poisson(profile.arrivalsPerSecond); n > 0; n--) {
        service.received++;
        if (r.chance(0.02)) {
          service.abandonedTotal++; // hung up in the IVR, never queued
          continue;
        }
        service.queued++;
        service.queueArrivals.push(this.clock);
        service.queueGiveUps.push(this.clock + Math.max(1, Math.round(r.exponential(profile.patienceMeanSeconds))));
      }
    });
  }

  private advanceAgent(index: number): void {
    const agent = this.agents[index] as AgentLive;
    const r = this.random;
    const now = this.clock;
    switch (agent.state) {
      case "":
        if (r.chance(1 / 3600)) {
          agent.loginAt = now;
          this.enter(agent, "ready", now, 0);
        }
        return;
      case "ready":
        if (r.chance(1 / 6000)) this.enter(agent, "", now, 0);
        else if (r.chance(1 / 3000)) this.enterNotReady(agent, now, r.pick(NOT_READY_REASONS));
        else if (r.chance(1 / 5000)) {
          const skills = this.roster.agents[index]?.services ?? [];
          if (skills.length > 0) {
            const service = r.pick(skills);
            (this.services[service] as ServiceLive).outAnswered++;
            this.startItem(agent, service, false, now);
          }
        }
        return;
      case "busy":
        if (agent.nextState === "" && r.chance(1 / 6000)) {
          agent.nextState = "not_ready";
          agent.nextReason = r.pick(NOT_READY_REASONS);
        }
        if (agent.item !== null && now >= agent.item.endsAt) this.finishItem(agent, agent.item);
        return;
      case "after_call_work":
        if (now >= agent.stateEndsAt) {
          if (agent.nextState === "not_ready") this.enterNotReady(agent, now, agent.nextReason);
          else this.enter(agent, "ready", now, 0);
          agent.nextState = "";
          agent.nextReason = "";
        }
        return;
      case "not_ready":
        if (now >= agent.stateEndsAt) this.enter(agent, "ready", now, 0);
        return;
    }
  }

  private abandon(): void {
    const now = this.clock;
    for (const service of this.services) {
      let kept = 0;
      for (let k = 0; k < service.queueArrivals.length; k++) {
        const arrived = service.queueArrivals[k] as number;
        const givesUp = service.queueGiveUps[k] as number;
        if (now >= givesUp) {
          service.abandonedInQueue++;
          service.abandonedTotal++;
          if (now - arrived <= SHORT_ABANDON_SECONDS) service.shortAbandonedInQueue++;
          continue;
        }
        service.queueArrivals[kept] = arrived;
        service.queueGiveUps[kept] = givesUp;
        kept++;
      }
      service.queueArrivals.length = kept;
      service.queueGiveUps.length = kept;
    }
  }

  /** Hands waiting calls (oldest first) to ready agents skilled for the service. */
  private assign(): void {
    const waiting = this.services.some((s) => s.queueArrivals.length > 0);
    if (!waiting) return;
    const ready: number[][] = this.services.map(() => []);
    this.agents.forEach((agent, i) => {
      if (agent.state !== "ready") return;
      for (const s of this.roster.agents[i]?.services ?? []) ready[s]?.push(i);
    });
    this.services.forEach((service, s) => {
      const pool = ready[s] as number[];
      const profile = this.roster.services[s];
      if (profile === undefined) return;
      while (service.queueArrivals.length > 0 && pool.length > 0) {
        const agent = this.agents[pool.pop() as number] as AgentLive;
        if (agent.state !== "ready") continue; // taken by another service this second
        const wait = this.clock - (service.queueArrivals.shift() as number);
        service.queueGiveUps.shift();
        service.answered++;
        service.answerWaitSeconds += wait;
        if (wait <= profile.slThresholdSeconds) service.answeredInSl++;
        this.startItem(agent, s, true, this.clock);
      }
    });
  }

  private startItem(agent: AgentLive, service: number, inbound: boolean, at: number): void {
    const r = this.random;
    const profile = this.roster.services[service];
    const talk = Math.max(20, Math.round(r.exponential(profile?.talkMeanSeconds ?? 200)));
    const holdSeconds = r.chance(0.2) ? r.int(10, 60) : 0;
    const roll = r.next();
    agent.item = {
      media: roll < 0.8 ? "voice" : roll < 0.92 ? "chat" : "email",
      inbound,
      service,
      startedAt: at,
      endsAt: at + talk + holdSeconds,
      holdFrom: at + Math.floor(talk * 0.3),
      holdSeconds,
      acwSeconds: r.int(10, 60),
    };
    this.enter(agent, "busy", at, 0);
  }

  private finishItem(agent: AgentLive, item: ActiveItem): void {
    if (item.inbound) agent.inHandled++;
    else agent.outHandled++;
    agent.handleSecondsTotal += item.endsAt - item.startedAt + item.acwSeconds;
    const index = this.random.pick(item.inbound ? this.inboundDispositions : this.outboundDispositions);
    agent.dispositions[index] = (agent.dispositions[index] ?? 0) + 1;
    agent.item = null;
    this.enter(agent, "after_call_work", this.clock, item.acwSeconds);
  }

  private enterNotReady(agent: AgentLive, at: number, reason: string): void {
    const mean = NOT_READY_MEAN_SECONDS[reason] ?? 600;
    this.enter(agent, "not_ready", at, Math.max(60, Math.round(mean * (0.5 + this.random.next()))));
    agent.reason = reason;
  }

  /** Closes the current stretch into the day's totals and starts `state` at `at`, lasting `seconds` if timed. */
  private enter(agent: AgentLive, state: AcdState, at: number, seconds: number): void {
    const spent = Math.max(0, at - agent.stateSince);
    if (agent.state === "ready") agent.readySeconds += spent;
    else if (agent.state === "not_ready") agent.notReadySeconds += spent;
    else if (agent.state === "busy") agent.busySeconds += spent;
    else if (agent.state === "after_call_work") agent.acwSeconds += spent;
    agent.state = state;
    agent.reason = "";
    agent.stateSince = at;
    agent.stateEndsAt = at + seconds;
  }

  private maybeChat(probability: number): void {
    const r = this.random;
    if (this.agents.length === 0 || !r.chance(probability)) return;
    const agent = r.int(0, this.agents.length - 1);
    this.chatSequence++;
    this.chat.push({
      id: String(100000 + this.chatSequence),
      agent,
      sentAt: this.clock - (this.chatSequence <= 5 ? r.int(60, 1800) : 0),
      urgent: r.chance(0.1),
      content: r.pick(CHAT_LINES),
    });
    if (this.chat.length > MAX_CHAT_HISTORY) this.chat.shift();
  }
}
