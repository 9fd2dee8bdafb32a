// Stopping a server without failing anyone: no new connections, requests in flight answered and told to close
// their connection, idle keep-alive connections closed after a short grace, and a deadline after which the rest
// are cut.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import net from "node:net";

/** How long connections idle at the signal stay open, so that a request already on its way is read and answered. */
const IDLE_GRACE_MS = 1_000;

type Tracked = { pending: Set<ServerResponse>; draining: boolean };
const tracked = new WeakMap<Server, Tracked>();

function track(server: Server): Tracked {
  const state: Tracked = { pending: new Set(), draining: false };
  tracked.set(server, state);
  server.prependListener("request", (_req: IncomingMessage, res: ServerResponse) => {
    if (state.draining) {
      res.setHeader("connection", "close");
      return;
    }
    state.pending.add(res);
    res.once("close", () => state.pending.delete(res));
  });
  return state;
}

/**
 * Lets drain() reach the responses still to be written; call it once, when the server is created. Once draining,
 * every response that has not started says `Connection: close`: its client then sends its next request on a new
 * connection (refused, so it goes elsewhere) instead of on this one just as the server closes it.
 */
export function trackResponses(server: Server): Server {
  track(server);
  return server;
}

/** Resolves once every connection is gone; `true` when they all finished before `deadlineMs`. */
export function drain(server: Server, deadlineMs: number): Promise<boolean> {
  const state = tracked.get(server) ?? track(server);
  state.draining = true;
  for (const res of state.pending) if (!res.headersSent) res.setHeader("connection", "close");
  state.pending.clear();

  return new Promise((resolve) => {
    let finished = true;
    let idle: NodeJS.Timeout | undefined;
    // Idle keep-alive connections are closed after a grace: one that looks idle may hold a request that has
    // arrived but not yet been read, and closing it would reset that request.
    const grace = setTimeout(() => {
      server.closeIdleConnections();
      idle = setInterval(() => server.closeIdleConnections(), 50);
    }, IDLE_GRACE_MS);
    const deadline = setTimeout(() => {
      finished = false;
      server.closeAllConnections();
    }, deadlineMs);
    // Stop listening. (http.Server#close would also close the connections idle at this instant, at once.)
    net.Server.prototype.close.call(server, () => {
      clearTimeout(grace);
      clearInterval(idle);
      clearTimeout(deadline);
      resolve(finished);
    });
  });
}
