// The fake Bright Pattern server: node:http routes for both auth methods, the subscription, data and cfg calls,
// over a ContactCenter model. Credentials are enforced on every Stats API call; faults come from FaultState.
import { randomBytes, randomUUID } from "node:crypto";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ContactCenter } from "./contact-center.js";
import { buildDataAnswer } from "./data-answer.js";
import { DATA_PATH, type Faults, FaultState, checkCount } from "./faults.js";
import { type SubscriptionPlan, SubscriptionRequestError, parseSubscriptionRequest } from "./subscription-request.js";
import { simulatedTenantUrls, tenantSeed } from "./tenants.js";

export interface SimulatorOptions {
  host?: string;
  port?: number;
  seed?: number;
  services?: number;
  agents?: number;
  /** Real milliseconds per simulated second; 0 = manual `tick()` only. Default 1000. */
  tickMs?: number;
  warmupPolls?: number;
  tokenTtlSeconds?: number;
  sessionLogin?: "allowed" | "forbidden";
  tenantUrl?: string;
  /**
   * Serve this many tenants (tenant-01.<tenantUrl> …, see simulatedTenantUrls), each its own contact center
   * seeded from its name, told apart by the OAuth scope or the session tenant_url. 0 (default): one, tenantUrl.
   */
  tenants?: number;
  username?: string;
  password?: string;
  clientId?: string;
  clientSecret?: string;
  maxSubscriptions?: number;
  /** Additions to the contract: */
  /** Shape of GET /statsapi/cfg/dispositions: the seed's {"dispositions": [...]} or the Postman example's bare array. */
  dispositionsShape?: "object" | "array";
  /** A subscription not polled for this long no longer counts (and answers 404). Default 300. */
  subscriptionIdleSeconds?: number;
  /** A session login ends the user's earlier sessions, like a browser wallboard logging in with the same user. Default false. */
  oneSessionPerUser?: boolean;
  /**
   * What a subscription belongs to (unsettled upstream, see reference/statsapi.md): "token" — each OAuth token or
   * session has its own, so a refreshed token starts without one (data 404); "user" — the API user has one
   * subscription, kept across token refreshes and shared by every client logging in as that user: a second
   * exporter with the same user replaces the first one's subscription (one subscription per user). Default "token".
   */
  subscriptionBinding?: "token" | "user";
  /**
   * With the "token" binding: a subscribe ends the subscriptions of the user's other tokens and sessions (their data
   * answers 404), so two exporters with the same API user keep replacing each other's subscription. Default false.
   */
  oneSubscriptionPerUser?: boolean;
  /** The API user's privileges (reference "Access errors"); a call lacking one answers 403. Default: all three. */
  privileges?: readonly string[];
  /** Epoch ms of simulated second 0 (chat send times). Default: now. Fix it to compare runs byte for byte. */
  startTime?: number;
  /** The clock for token expiry and idle subscriptions. Default Date.now. */
  now?: () => number;
}

export interface RequestRecord {
  method: string;
  path: string;
  /** 0 when the socket was destroyed without an answer. */
  status: number;
  at: number;
  /** The tenant URL the request was for (its token, cookie or login), "" when none. */
  tenant: string;
}

export interface Simulator {
  url: string;
  close(): Promise<void>;
  tick(steps?: number): void;
  requests: RequestRecord[];
  activeSubscriptions(): number;
  faults: Faults;
  /** The model behind the answers, for assertions (the first tenant's). */
  center: ContactCenter;
  /** The tenant URLs served. */
  tenants: readonly string[];
  /** The contact center of one tenant. */
  centerOf(tenantUrl: string): ContactCenter;
}

interface Subscription {
  plan: SubscriptionPlan;
  warmupLeft: number;
  lastPolledAt: number;
}

/** Where a subscription lives: one per client ("token" binding) or one for the user ("user" binding). */
interface Slot {
  subscription: Subscription | null;
}

interface Client {
  kind: "oauth" | "session";
  tenant: string;
  expiresAt: number;
  slot: Slot;
  /** Set by the breakSessions fault: every call answers 500 until a new login (the vendor's client logs in again). */
  broken: boolean;
}

/** The privileges of reference/statsapi.md ("Access errors"). */
export const PRIVILEGES: readonly string[] = ["Access Realtime Stats API", "View real-time agent metrics", "View real-time service metrics"];
const [ACCESS_PRIVILEGE, AGENT_PRIVILEGE, SERVICE_PRIVILEGE] = PRIVILEGES as [string, string, string];

type Settings = Required<Omit<SimulatorOptions, "startTime">>;

export const SIMULATOR_DEFAULTS: Readonly<Settings> = {
  host: "127.0.0.1",
  port: 0,
  seed: 1,
  services: 6,
  agents: 40,
  tickMs: 1000,
  warmupPolls: 1,
  tokenTtlSeconds: 3600,
  sessionLogin: "allowed",
  tenantUrl: "demo.brightpattern.local",
  tenants: 0,
  username: "supervisor",
  password: "demo-password",
  clientId: "wallboard",
  clientSecret: "demo-secret",
  maxSubscriptions: 5,
  dispositionsShape: "object",
  subscriptionIdleSeconds: 300,
  oneSessionPerUser: false,
  subscriptionBinding: "token",
  oneSubscriptionPerUser: false,
  privileges: PRIVILEGES,
  now: Date.now,
};

const MAX_BODY_BYTES = 1 << 20;
const MAX_REQUEST_LOG = 100_000;
const COOKIE_TOKEN = "X-STATSAPI-TOKEN";
const COOKIE_TENANT = "X-STATSAPI-TENANT";
const COOKIE_LOGIN = "X-STATSAPI-LOGIN";

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: string = "",
    readonly headers: Record<string, string | string[]> = {},
  ) {}
}

const json = (status: number, value: unknown, headers: Record<string, string | string[]> = {}): HttpAnswer =>
  new HttpAnswer(status, JSON.stringify(value), { "content-type": "application/json; charset=utf-8", ...headers });

const UNAUTHORIZED = (): HttpAnswer => json(401, { error: "unauthorized" });

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const settings = { ...SIMULATOR_DEFAULTS, ...definedOnly(options) };
  // Benchmarks use 25 000 agents / 500 services; the caps only stop a typo from eating the machine.
  checkSize("agents", settings.agents, 100_000);
  checkSize("services", settings.services, 10_000);
  checkSize("tenants", settings.tenants, 10_000);
  const tenants = settings.tenants === 0 ? [settings.tenantUrl] : simulatedTenantUrls(settings.tenants, settings.tenantUrl);
  const known = new Set(tenants);
  const centers = new Map<string, ContactCenter>();
  /** Built on first use: a thousand idle tenants cost nothing until they log in. */
  const centerOf = (tenant: string): ContactCenter => {
    let center = centers.get(tenant);
    if (center === undefined) {
      if (!known.has(tenant)) throw new RangeError(`the simulator does not serve tenant ${tenant}`);
      center = new ContactCenter({
        seed: settings.tenants === 0 ? settings.seed : tenantSeed(tenant, settings.seed),
        services: settings.services,
        agents: settings.agents,
        startEpochSeconds: Math.floor((options.startTime ?? Date.now()) / 1000),
      });
      centers.set(tenant, center);
    }
    return center;
  };
  const center = centerOf(tenants[0]!);
  const faults = new FaultState(settings.sessionLogin === "forbidden", settings.privileges);
  const clients = new Map<string, Client>();
  const requests: RequestRecord[] = [];
  const now = settings.now;
  // There is one API user a tenant, so with the "user" binding every client of a tenant shares its slot.
  const userSlots = new Map<string, Slot>();
  const newSlot = (tenant: string): Slot => {
    if (settings.subscriptionBinding === "token") return { subscription: null };
    let slot = userSlots.get(tenant);
    if (slot === undefined) userSlots.set(tenant, (slot = { subscription: null }));
    return slot;
  };

  const isLive = (client: Client): boolean => client.expiresAt > now();
  const hasLiveSubscription = (client: Client): boolean => {
    const subscription = client.slot.subscription;
    return isLive(client) && subscription !== null && now() - subscription.lastPolledAt < settings.subscriptionIdleSeconds * 1000;
  };
  const activeSubscriptions = (): number => new Set([...clients.values()].filter(hasLiveSubscription).map((c) => c.slot)).size;
  /** The tenant of a request: its live client's, or the one its login names. */
  const tenantOfRequest = new WeakMap<IncomingMessage, string>();

  /** A Bearer token for OAuth clients; the cookies for session clients (a session token sent any other way is refused). */
  const authenticate = (req: IncomingMessage): Client | null => {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const viaBearer = bearer === undefined ? undefined : clients.get(bearer);
    if (viaBearer?.kind === "oauth" && isLive(viaBearer)) return viaBearer;
    const cookies = parseCookies(req.headers.cookie);
    const token = cookies.get(COOKIE_TOKEN);
    const viaCookie = token === undefined ? undefined : clients.get(token);
    if (viaCookie?.kind === "session" && isLive(viaCookie) && cookies.get(COOKIE_TENANT) === viaCookie.tenant) return viaCookie;
    return null;
  };

  const withClient = (req: IncomingMessage, answer: (client: Client) => HttpAnswer): HttpAnswer => {
    const client = authenticate(req);
    if (client === null) return UNAUTHORIZED();
    tenantOfRequest.set(req, client.tenant);
    if (client.broken) return json(500, { error: "internal server error" });
    if (!faults.privileges.has(ACCESS_PRIVILEGE)) return forbidden(ACCESS_PRIVILEGE);
    return answer(client);
  };

  const oauthToken = (body: string, req: IncomingMessage): HttpAnswer => {
    if (!(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
      return json(400, { error: "invalid_request", error_description: "expected application/x-www-form-urlencoded" });
    }
    const form = new URLSearchParams(body);
    if (form.get("grant_type") !== "client_credentials") return json(400, { error: "unsupported_grant_type" });
    const tenant = form.get("scope") ?? "";
    if (known.has(tenant)) tenantOfRequest.set(req, tenant);
    if (form.get("client_id") !== settings.clientId || form.get("client_secret") !== settings.clientSecret) {
      return json(401, { error: "invalid_client" });
    }
    if (!known.has(tenant)) return json(400, { error: "invalid_scope" });
    for (const [old, c] of clients) if (!isLive(c)) clients.delete(old); // long runs refresh tokens for days
    const token = randomBytes(24).toString("base64url");
    clients.set(token, { kind: "oauth", tenant, expiresAt: now() + settings.tokenTtlSeconds * 1000, slot: newSlot(tenant), broken: false });
    return json(200, { access_token: token, token_type: "Bearer", expires_in: String(settings.tokenTtlSeconds), scope: tenant });
  };

  const sessionLogin = (body: string, req: IncomingMessage): HttpAnswer => {
    if (faults.sessionLoginForbidden) return json(403, { error: "illegal login attempt" });
    const credentials = parseJson(body) as Record<string, unknown> | undefined;
    if (typeof credentials !== "object" || credentials === null) return json(400, { error: "expected JSON {tenant_url, username, password}" });
    const { tenant_url: tenant, username, password } = credentials;
    if (typeof tenant === "string" && known.has(tenant)) tenantOfRequest.set(req, tenant);
    if (typeof tenant !== "string" || !known.has(tenant) || username !== settings.username || password !== settings.password) {
      return json(401, { error: "invalid credentials" });
    }
    // There is one user a tenant, so "the user's earlier sessions" are all the tenant's sessions.
    if (settings.oneSessionPerUser) for (const [old, c] of clients) if (c.kind === "session" && c.tenant === tenant) clients.delete(old);
    const token = randomUUID();
    clients.set(token, { kind: "session", tenant, expiresAt: Infinity, slot: newSlot(tenant), broken: false });
    const cookie = (name: string, value: string) => `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly`;
    return json(200, { token, privileges: [...faults.privileges], user_id: centerOf(tenant).roster.teams[0]?.id ?? randomUUID() }, {
      "set-cookie": [cookie(COOKIE_TOKEN, token), cookie(COOKIE_TENANT, tenant), cookie(COOKIE_LOGIN, settings.username)],
    });
  };

  const logout = (req: IncomingMessage): HttpAnswer =>
    withClient(req, (client) => {
      for (const [token, c] of clients) if (c === client) clients.delete(token);
      const gone = (name: string) => `${name}=; Path=/; HttpOnly; Max-Age=0`;
      return new HttpAnswer(200, "", { "set-cookie": [gone(COOKIE_TOKEN), gone(COOKIE_TENANT), gone(COOKIE_LOGIN)] });
    });

  const subscribe = (req: IncomingMessage, body: string): HttpAnswer =>
    withClient(req, (client) => {
      if (faults.subscriptionLimit) return subscriptionLimit();
      const parsed = parseJson(body);
      if (parsed === undefined) return json(400, { error_code: 1000, error_message: "body: not valid JSON" });
      let plan: SubscriptionPlan;
      try {
        plan = parseSubscriptionRequest(parsed);
      } catch (error) {
        if (!(error instanceof SubscriptionRequestError)) throw error;
        return json(400, { error_code: error.errorCode, error_message: error.message });
      }
      const missing = missingPrivilege(plan, faults.privileges);
      if (missing !== undefined) return forbidden(missing);
      const others = new Set(
        [...clients.values()].filter((c) => c.slot !== client.slot && c.tenant === client.tenant && hasLiveSubscription(c)).map((c) => c.slot),
      ).size;
      if (others >= settings.maxSubscriptions) return subscriptionLimit();
      // With the "user" binding this replaces the subscription of every client of the user.
      client.slot.subscription = { plan, warmupLeft: settings.warmupPolls, lastPolledAt: now() };
      if (settings.oneSubscriptionPerUser) {
        for (const c of clients.values()) if (c.slot !== client.slot && c.tenant === client.tenant) c.slot.subscription = null;
      }
      return new HttpAnswer(200); // the real server answers an empty body
    });

  // The real answer without an active subscription is unsettled (reference); this one says 200 either way.
  const unsubscribe = (req: IncomingMessage): HttpAnswer =>
    withClient(req, (client) => {
      client.slot.subscription = null;
      return new HttpAnswer(200);
    });

  const data = (req: IncomingMessage): HttpAnswer =>
    withClient(req, (client) => {
      const subscription = client.slot.subscription;
      if (subscription === null || !hasLiveSubscription(client)) {
        client.slot.subscription = null;
        return json(404, { error: "no active subscription" });
      }
      subscription.lastPolledAt = now();
      if (subscription.warmupLeft > 0) {
        subscription.warmupLeft--;
        return new HttpAnswer(204);
      }
      return new HttpAnswer(200, buildDataAnswer(centerOf(client.tenant), subscription.plan), { "content-type": "application/json" });
    });

  const cfg = (req: IncomingMessage, what: string, query: URLSearchParams): HttpAnswer =>
    withClient(req, (client) => {
      const { roster } = centerOf(client.tenant);
      switch (what) {
        case "teams": return json(200, roster.teams.map(({ id, name }) => ({ id, name })));
        case "services": return json(200, roster.services.map(({ id, name }) => ({ id, name })));
        case "agents": return json(200, roster.agents.map(({ id, loginId }) => ({ id, name: loginId })));
        default: {
          const flags = (["agentCanSelect", "inbound", "outbound", "preview"] as const).filter((f) => query.get(f) === "1");
          const names = roster.dispositions.filter((d) => flags.every((f) => d[f])).map((d) => d.name);
          return json(200, settings.dispositionsShape === "array" ? names : { dispositions: names });
        }
      }
    });

  const availableAgents = (query: URLSearchParams): HttpAnswer => {
    const name = query.get("service");
    if (name === null || name === "") return json(400, { error: "service is required" });
    const index = center.roster.services.findIndex((s) => s.name === name);
    const available = index >= 0 && center.agents.some((a, i) => a.state === "ready" && center.roster.agents[i]?.services.includes(index));
    return json(200, { availability: available });
  };

  const route = (req: IncomingMessage, path: string, query: URLSearchParams, body: string): HttpAnswer => {
    const method = req.method ?? "GET";
    const allow = (methods: string, answer: () => HttpAnswer): HttpAnswer =>
      methods.split(",").includes(method) ? answer() : json(405, { error: `method ${method} not allowed` }, { allow: methods });
    switch (path) {
      case "/configapi/v2/oauth/token": return allow("POST", () => oauthToken(body, req));
      case "/statsapi/auth": return allow("POST,DELETE", () => (method === "POST" ? sessionLogin(body, req) : logout(req)));
      case "/statsapi/subscription": return allow("POST", () => subscribe(req, body));
      case "/statsapi/subscription/active": return allow("DELETE", () => unsubscribe(req));
      case DATA_PATH: return allow("GET", () => data(req));
      case "/statsapi/cfg/dispositions":
      case "/statsapi/cfg/teams":
      case "/statsapi/cfg/services":
      case "/statsapi/cfg/agents": return allow("GET", () => cfg(req, path.slice("/statsapi/cfg/".length), query));
      case "/statsapi/info/check_available_agents": return allow("GET", () => availableAgents(query));
      default: return json(404, { error: "not found" });
    }
  };

  const record = (req: IncomingMessage, path: string, status: number): void => {
    if (requests.length >= MAX_REQUEST_LOG) requests.splice(0, requests.length - MAX_REQUEST_LOG + 1);
    requests.push({ method: req.method ?? "GET", path, status, at: now(), tenant: tenantOfRequest.get(req) ?? "" });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://simulator");
    const body = await readBody(req);
    if (faults.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.delayMs));
    if (faults.takeReset(url.pathname)) {
      record(req, url.pathname, 0);
      req.socket.destroy();
      return;
    }
    const failure = faults.takeFailure(url.pathname);
    const answer: HttpAnswer =
      body === null ? json(413, { error: "request body too large" })
      : failure !== null ? json(failure, { error: "simulated failure" })
      : route(req, url.pathname, url.searchParams, body);
    record(req, url.pathname, answer.status);
    if (url.pathname === DATA_PATH && answer.status === 200 && failure === null) return sendData(res, answer, faults);
    res.writeHead(answer.status, answer.headers).end(answer.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: String(error) }));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const tickAll = (steps: number) => centers.forEach((c) => c.tick(steps));
  const timer = settings.tickMs > 0 ? setInterval(() => tickAll(1), settings.tickMs) : null;
  timer?.unref();
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    center,
    tenants,
    centerOf,
    requests,
    activeSubscriptions,
    tick: (steps = 1) => tickAll(steps),
    close: async () => {
      if (timer !== null) clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    faults: {
      expireSessions: () => clients.clear(),
      dropSubscriptions: () => clients.forEach((c) => (c.slot.subscription = null)),
      breakSessions: () => clients.forEach((c) => (c.broken = true)),
      setPrivileges: (privileges) => void (faults.privileges = new Set(privileges)),
      failNext: (count, status = 500, path) => {
        checkCount("failNext", count);
        faults.fail = { count, status, path: path ?? null };
      },
      setDelay: (ms) => {
        checkCount("setDelay", ms);
        faults.delayMs = ms;
      },
      malformedNext: (count) => {
        checkCount("malformedNext", count);
        faults.malformed = count;
      },
      truncateNext: (count) => {
        checkCount("truncateNext", count);
        faults.truncate = count;
      },
      resetNext: (count, path = DATA_PATH) => {
        checkCount("resetNext", count);
        faults.reset = { count, path };
      },
      hugeNext: (count, bytes) => {
        checkCount("hugeNext", count);
        checkCount("hugeNext bytes", bytes);
        faults.huge = { count, bytes };
      },
      bloatedNext: (count, bytes, item = '{"a":1}') => {
        checkCount("bloatedNext", count);
        checkCount("bloatedNext bytes", bytes);
        JSON.parse(item); // one valid JSON value, or the body would not be JSON
        faults.bloated = { count, bytes, item };
      },
      forceSubscriptionLimit: (on) => void (faults.subscriptionLimit = on),
      forbidSessionLogin: (on) => void (faults.sessionLoginForbidden = on),
      reset: () => faults.clear(),
    },
  };
}

/** What a real server answers for a missing privilege is unsettled: a 403 naming it is our guess. */
function forbidden(privilege: string): HttpAnswer {
  return json(403, { error: `insufficient privileges: ${privilege}` });
}

/** The privilege a subscription needs and the user lacks: agent grids need agent metrics, the rest service metrics. */
function missingPrivilege(plan: SubscriptionPlan, privileges: ReadonlySet<string>): string | undefined {
  const needsAgents = plan.some((app) => (app.agentGrids?.length ?? 0) > 0);
  const needsServices = plan.some((app) => (app.serviceGrids?.length ?? 0) > 0 || (app.totals?.length ?? 0) > 0);
  if (needsAgents && !privileges.has(AGENT_PRIVILEGE)) return AGENT_PRIVILEGE;
  if (needsServices && !privileges.has(SERVICE_PRIVILEGE)) return SERVICE_PRIVILEGE;
  return undefined;
}

function subscriptionLimit(): HttpAnswer {
  return json(409, { error_code: 1011, error_message: "limit of active subscriptions exceeded for tenant" });
}

/** Writes a 200 data answer, bent by a pending malformed/truncate/huge fault. */
function sendData(res: ServerResponse, answer: HttpAnswer, faults: FaultState): void {
  let body = answer.body;
  if (faults.malformed > 0) {
    faults.malformed--;
    body = `${body.slice(0, -1)},}`;
  } else if (faults.huge.count > 0) {
    faults.huge.count--;
    if (body.length < faults.huge.bytes) body += " ".repeat(faults.huge.bytes - Buffer.byteLength(body));
  } else if (faults.bloated.count > 0) {
    faults.bloated.count--;
    sendBloated(res, answer, body, faults.bloated.bytes, faults.bloated.item);
    return;
  } else if (faults.truncate > 0) {
    faults.truncate--;
    const bytes = Buffer.from(body);
    res.writeHead(200, { ...answer.headers, "content-length": String(bytes.length) });
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
    return;
  }
  res.writeHead(200, answer.headers).end(body);
}

/** `{"padding":[item,…,0],` + the body's members: `bytes` long (at least the body), written as the socket drains. */
function sendBloated(res: ServerResponse, answer: HttpAnswer, body: string, bytes: number, item: string): void {
  const unit = `${item},`;
  const chunk = unit.repeat(Math.max(1, Math.floor((1 << 20) / unit.length)));
  const head = '{"padding":[';
  const tail = `0]${body === "{}" ? "}" : `,${body.slice(1)}`}`;
  let fill = Math.max(0, bytes - Buffer.byteLength(head) - Buffer.byteLength(tail));
  const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => name.toLowerCase() !== "content-length"));
  res.writeHead(200, headers);
  res.write(head);
  // Whole items only, so the JSON stays valid; the last few bytes are spaces.
  const next = (): void => {
    while (fill > 0) {
      const whole = Math.min(chunk.length, fill - (fill % unit.length));
      const part = whole > 0 ? chunk.slice(0, whole) : " ".repeat(fill);
      fill -= part.length;
      if (!res.write(part)) {
        res.once("drain", next);
        return;
      }
    }
    res.end(tail);
  };
  res.on("error", () => undefined);
  next();
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const value = part.slice(eq + 1).trim();
    try {
      cookies.set(part.slice(0, eq).trim(), decodeURIComponent(value));
    } catch {
      cookies.set(part.slice(0, eq).trim(), value);
    }
  }
  return cookies;
}

function checkSize(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`simulator option ${name}: an integer 0..${max}, got ${value}`);
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
