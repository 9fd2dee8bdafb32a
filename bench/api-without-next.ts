// The API of `npm start` (src/serve.ts) in a process where Next.js is never loaded: the same listener, handlers,
// context, logging and limits, with every other path answered 404. Not a way to deploy (pages need Next); the
// ladder's measure of what Next's process-wide patches (AsyncLocalStorage, `Date`, fetch) cost a request that never
// touches Next. Reads the app's own configuration (DATABASE_URL, BETTER_AUTH_SECRET, PORT, …), as `npm start` does.
import { createApiListener } from "../src/api-listener";
import { createLimitedServer, NODE_TIMEOUTS } from "../src/server/http/server-limits";
import { loadConfiguration } from "../src/server/startup";

const env = await loadConfiguration();
const server = createLimitedServer({ ...NODE_TIMEOUTS, maxConnections: env.MAX_CONNECTIONS });
server.on(
  "request",
  createApiListener(env.BETTER_AUTH_URL, (_req, res) => {
    res.writeHead(404).end();
  }),
);
server.listen(env.PORT, env.HOSTNAME);
