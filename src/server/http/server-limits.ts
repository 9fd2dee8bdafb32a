// The node:http server of `npm start`, with its bounds: connections open at once, how long a client may take to send
// its headers and its whole request, how long an idle keep-alive connection stays; an answer to CONNECT, which Node
// would otherwise meet by closing the connection in silence; and an answer to a request Node cannot parse that
// reaches the client, where Node's own close may reset the connection before the client has read it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
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
  /**
   * After the answer to a request Node cannot parse (a head past its size limit, malformed), how long what the client
   * still sends is read and discarded before the connection is dropped; REFUSAL_LINGER_MS unless given.
   */
  refusalLingerMs?: number;
};

/** See `refusalLingerMs`: long enough for a client to finish sending a head of a few hundred kilobytes. */
export const REFUSAL_LINGER_MS = 5_000;

/**
 * The timeouts are Node's own defaults (the same in Node 20 and 24), written here so that they are documented and no
 * Node upgrade changes them unnoticed; only the connection count is unbounded in Node and set by the caller
 * (MAX_CONNECTIONS).
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

/** Node's answers to a request it cannot take (node:_http_server's socketOnError), by error code; 400 for the rest. */
const NODE_REFUSALS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: "431 Request Header Fields Too Large",
  HPE_CHUNK_EXTENSIONS_OVERFLOW: "413 Payload Too Large",
  ERR_HTTP_REQUEST_TIMEOUT: "408 Request Timeout",
};

/**
 * Answers a request Node's parser refuses (HPE_* errors: a request line or headers past the size limit 431, a
 * malformed head 400) with Node's own answer, then closes the connection gently: the answer is followed by a FIN, and
 * what the client still sends is read and discarded for up to `lingerMs`. Node's handler closes at once, and closing
 * a socket with unread bytes sends a reset, which can reach the client before it has read the answer: a client still
 * sending a long head then saw ECONNRESET instead of the 431, now and then under Node 20 and every time under Node 24.
 * Anything else (a timed-out request: 408), and a refusal on a connection with a response under way, is answered and
 * closed at once as Node does, and, as by Node, nothing is written once a response on the connection has begun.
 */
function answerClientErrors(server: Server, lingerMs: number): void {
  const unfinished = new WeakMap<Duplex, Set<ServerResponse>>();
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const responses = unfinished.get(req.socket) ?? new Set();
    unfinished.set(req.socket, responses.add(res));
    res.once("close", () => responses.delete(res));
  });
  const lingering = new WeakSet<Duplex>();
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    // The parser, once failed, fails again on each later piece of the same connection: answered already.
    if (lingering.has(socket)) return;
    const responses = [...(unfinished.get(socket) ?? [])];
    if (socket.writable && !responses.some((res) => res.headersSent)) {
      const answer = `HTTP/1.1 ${NODE_REFUSALS[error.code ?? ""] ?? "400 Bad Request"}\r\nConnection: close\r\n\r\n`;
      if (error.code?.startsWith("HPE_") && responses.length === 0) {
        lingering.add(socket);
        socket.end(answer);
        const timer = setTimeout(() => socket.destroy(), lingerMs);
        return void socket.once("close", () => clearTimeout(timer));
      }
      socket.write(answer);
    }
    socket.destroy();
  });
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
  answerClientErrors(server, limits.refusalLingerMs ?? REFUSAL_LINGER_MS);
  return server;
}
