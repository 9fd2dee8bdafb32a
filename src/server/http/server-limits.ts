// The node:http server of `npm start`, with its bounds: connections open at once, how long a client may take to send
// its headers and its whole request, how long an idle keep-alive connection stays; and an answer to CONNECT, which
// Node would otherwise meet by closing the connection in silence.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { logger } from "@/server/logger";

/** The methods this server serves; the `Allow` of its 405 answers. */
export const SERVED_METHODS = "GET, HEAD, POST";

export type ServerLimits = {
  /**
   * Connections open at once. At the cap, a new connection takes the place of the oldest one that has not yet sent a
   * whole request head (silent, or sending it slowly); when every connection has, the new one is closed at once.
   */
  maxConnections: number;
  /** From a connection's first byte (or its previous response) to the end of its request's headers. */
  headersTimeoutMs: number;
  /** From the first byte to the end of the request's body. */
  requestTimeoutMs: number;
  /** How long a keep-alive connection waits for its next request. */
  keepAliveTimeoutMs: number;
  /** How often the two timeouts above are checked: a slow client is cut up to this much after its deadline. */
  timeoutCheckIntervalMs: number;
};

/**
 * The timeouts are Node 20's own defaults, written here so that they are documented and no Node upgrade changes them
 * unnoticed; only the connection count is unbounded in Node and set by the caller (MAX_CONNECTIONS).
 */
export const NODE_TIMEOUTS = {
  headersTimeoutMs: 60_000,
  requestTimeoutMs: 300_000,
  keepAliveTimeoutMs: 5_000,
  timeoutCheckIntervalMs: 30_000,
} satisfies Omit<ServerLimits, "maxConnections">;

/** How often, at most, the log says that connections were refused: a flood of them is one line a minute. */
const REFUSAL_LOG_INTERVAL_MS = 60_000;

function refuseConnect(_req: IncomingMessage, socket: Duplex): void {
  socket.on("error", () => socket.destroy());
  socket.end(
    `HTTP/1.1 405 Method Not Allowed\r\nAllow: ${SERVED_METHODS}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
  );
}

/**
 * Holds `server` to `max` connections. Node's own `maxConnections` refuses the newcomer, so connections that never
 * send a request (held until the headers timeout, 60 to 90 s) would lock every new client out; here they make room.
 */
function capConnections(server: Server, max: number): void {
  const open = new Set<Socket>();
  /** Connections without a whole request head yet, oldest first. */
  const waiting = new Set<Socket>();
  const forget = (socket: Socket) => (open.delete(socket), waiting.delete(socket));
  let counts = { evicted: 0, refused: 0 };
  let lastLogged = -Infinity;
  const note = (what: keyof typeof counts) => {
    counts[what] += 1;
    if (performance.now() - lastLogged < REFUSAL_LOG_INTERVAL_MS) return;
    logger.warn({ ...counts, maxConnections: max }, "connections closed or refused: MAX_CONNECTIONS reached");
    lastLogged = performance.now();
    counts = { evicted: 0, refused: 0 };
  };

  server.on("connection", (socket: Socket) => {
    if (open.size >= max) {
      const oldest = waiting.values().next().value;
      if (!oldest) return void (socket.destroy(), note("refused"));
      forget(oldest);
      oldest.destroy();
      note("evicted");
    }
    open.add(socket);
    waiting.add(socket);
    socket.once("close", () => forget(socket));
  });
  server.on("request", (req: IncomingMessage) => waiting.delete(req.socket as Socket));
}

/** A node:http server with `limits`; the caller adds its request listener. */
export function createLimitedServer(limits: ServerLimits): Server {
  const server = createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.timeoutCheckIntervalMs,
  });
  capConnections(server, limits.maxConnections);
  server.on("connect", refuseConnect);
  return server;
}
