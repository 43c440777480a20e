// What a client can make the server hold, bounded: requests in flight on one connection and in total,
// connections, and how long headers may trickle or a connection may sit without a byte moving.
// Without these, one client pipelining thousands of GET /metrics and never reading held hundreds of MB and
// stalled /healthz for seconds (issue #12). The numbers are in README.md ("Limits").
import type http from "node:http";
import type { Socket } from "node:net";

export interface HttpLimits {
  /** Requests in flight (received, answer not yet written) on one connection; one more closes the connection. */
  maxInFlightPerConnection: number;
  /** Requests in flight in total, probes not counted; more are answered 503 at once. */
  maxInFlight: number;
  /** Open connections; more are refused by the kernel's accept queue handling (Node closes them). */
  maxConnections: number;
  /** The request headers must arrive within this (slowloris). */
  headersTimeoutMs: number;
  /** The whole request, headers and body, must arrive within this. */
  requestTimeoutMs: number;
  /** A connection where no byte moves for this long while a request is read or answered is closed. */
  idleTimeoutMs: number;
  /** A keep-alive connection waiting for its next request is closed after this. */
  keepAliveTimeoutMs: number;
  /** The TLS handshake must finish within this. */
  handshakeTimeoutMs: number;
  /** How often Node checks the headers and request timeouts. */
  timeoutCheckIntervalMs: number;
}

export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = {
  // Prometheus sends one request at a time per connection; pipelining clients are rare and get a few.
  maxInFlightPerConnection: 4,
  maxInFlight: 64,
  maxConnections: 512,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  // Long enough for a slow link (any byte moving resets it), short enough that a stalled client lets go.
  idleTimeoutMs: 30_000,
  // Longer than common scrape intervals, so Prometheus reuses its connection.
  keepAliveTimeoutMs: 65_000,
  handshakeTimeoutMs: 10_000,
  timeoutCheckIntervalMs: 1_000,
};

/** Liveness and readiness probes: tiny answers, never refused for load (a refused probe restarts the pod). */
const PROBES = new Set(["/healthz", "/readyz"]);

const isProbe = (url: string | undefined): boolean => PROBES.has((url ?? "").split("?", 1)[0]!);

/** The options http(s).createServer takes for these limits. */
export function serverOptions(limits: HttpLimits) {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: limits.timeoutCheckIntervalMs,
    handshakeTimeout: limits.handshakeTimeoutMs,
  };
}

/** Applies the limits that are server properties rather than options. */
export function applyServerLimits(server: http.Server, limits: HttpLimits): void {
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.timeout = limits.idleTimeoutMs;
  server.maxConnections = limits.maxConnections;
}

/**
 * Node parses the whole chunk it read (64 KB: a thousand pipelined requests) even after the connection is
 * destroyed, building a request and a response for each: ~80 ms of blocked event loop per chunk. Node's
 * parser stops at once when its `onIncoming` answers 2 ("upgrade: the rest is another protocol"); the
 * parser gets a fresh `onIncoming` when it serves its next connection. Internal to Node (checked by
 * test/integration/http/limits.test.ts): if it is missing, the connection is only destroyed.
 */
function stopParsing(socket: Socket): void {
  const parser = (socket as Socket & { parser?: { onIncoming?: unknown } | null }).parser;
  if (parser && typeof parser.onIncoming === "function") parser.onIncoming = () => 2;
}

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * Wraps a request listener with the in-flight bounds. Runs before any routing, so a refusal costs no more
 * than parsing the request line and headers, with or without TLS and basic auth.
 */
export function admitRequests(listener: Listener, limits: HttpLimits): Listener {
  /** Per connection, how to release each of its requests still in flight. */
  const connections = new WeakMap<Socket, Set<() => void>>();
  let total = 0;

  const inFlightOn = (socket: Socket): Set<() => void> => {
    let pending = connections.get(socket);
    if (pending === undefined) {
      const created = new Set<() => void>();
      connections.set(socket, created);
      // Answers queued behind a dead connection are never finished: release them with it.
      socket.once("close", () => created.forEach((release) => release()));
      pending = created;
    }
    return pending;
  };

  return (req, res) => {
    const socket = req.socket;
    // Pipelined requests parsed from the same read as one that closed the connection.
    if (socket.destroyed) return;
    const pending = inFlightOn(socket);
    if (pending.size >= limits.maxInFlightPerConnection) {
      // A client sending request after request without reading the answers: answering it only queues more.
      stopParsing(socket);
      socket.destroy();
      return;
    }
    const counted = !isProbe(req.url);
    const release = () => {
      if (!pending.delete(release)) return;
      if (counted) total--;
    };
    pending.add(release);
    if (counted) total++;
    res.once("close", release);
    if (counted && total > limits.maxInFlight) {
      res.writeHead(503, { "Content-Type": "text/plain", "Retry-After": "1" });
      res.end("too many requests in flight, try again\n");
      return;
    }
    listener(req, res);
  };
}
