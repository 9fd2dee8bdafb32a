// Stopping a server without failing anyone: no new connections, requests in flight answered, keep-alive
// connections closed as soon as they are idle, and a deadline after which the rest are cut.
import type { Server } from "node:http";

/** Resolves once every connection is gone; `true` when they all finished before `deadlineMs`. */
export function drain(server: Server, deadlineMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let finished = true;
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => {
      finished = false;
      server.closeAllConnections();
    }, deadlineMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(deadline);
      resolve(finished);
    });
  });
}
