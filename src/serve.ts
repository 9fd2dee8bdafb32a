// `npm start`: the production server. One process hosts Next.js (pages, server components, static files) and
// answers /api/trpc and /api/auth straight from node:http with the same handlers as Next's route handlers, minus
// Next's per-request layer (docs/decisions/008-node-api-server.md); with FAST_PATHS=off Next serves those too, behind
// the listener's checks of every request (src/api-listener.ts). SIGTERM or SIGINT stops taking connections,
// lets requests in flight finish, lets the mail outbox finish or hand back what it is sending, closes the database
// and Redis connections (the token revocation channel's too) and exits within 10 seconds.
import path from "node:path";
import nextEnv from "@next/env";
import next from "next";
import { drain, trackResponses } from "@/server/http/graceful-shutdown";
import { loadConfiguration } from "@/server/startup";

const ROOT = path.resolve(import.meta.dirname, "..");
const SHUTDOWN_DEADLINE_MS = 10_000;

// .env files first, with Next's precedence, so the configuration check sees what Next would.
nextEnv.loadEnvConfig(ROOT, false);
const env = await loadConfiguration();

const app = next({ dev: false, dir: ROOT, hostname: env.HOSTNAME, port: env.PORT });
await app.prepare();
const [{ createApiListener }, { logger }, { createLimitedServer, NODE_TIMEOUTS }, { checkPasswordStrengthOffThread }] =
  await Promise.all([
    import("@/api-listener"),
    import("@/server/logger"),
    import("@/server/http/server-limits"),
    import("@/server/auth/password-strength-thread"),
  ]);
// The password strength worker loads its dictionaries now, not during the first sign-up.
checkPasswordStrengthOffThread.prepare();
const server = trackResponses(createLimitedServer({ ...NODE_TIMEOUTS, maxConnections: env.MAX_CONNECTIONS }));
server.on("request", createApiListener(env.BETTER_AUTH_URL, app.getRequestHandler()));
server.listen(env.PORT, env.HOSTNAME, () => {
  logger.info(
    { address: `http://${env.HOSTNAME}:${env.PORT}`, publicUrl: env.BETTER_AUTH_URL, node: process.version },
    `Taskforge is listening on http://${env.HOSTNAME}:${env.PORT}`,
  );
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Whatever happens (a connection or a pool that will not close), the process is gone by the deadline.
  setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
  logger.info({ signal }, `${signal}: finishing requests in flight, then stopping`);
  if (!(await drain(server, SHUTDOWN_DEADLINE_MS - 3_000)))
    logger.error("requests still open at the deadline were cut");
  const [{ db }, { redis }, { backgroundTasksSettled }, { stopOutboxWorker }, { tokenRevocation }] = await Promise.all([
    import("@/server/db"),
    import("@/server/redis"),
    import("@/server/background-tasks"),
    import("@/server/email/outbox-worker"),
    import("@/server/auth/access-token-revocation"),
  ]);
  // Mail of the last requests is still being queued; then the outbox worker finishes what it is sending, or hands
  // it back for another instance (or the next start) to send.
  await backgroundTasksSettled(1_000);
  await stopOutboxWorker(1_000);
  // The revocation channel's own LISTEN (or SUBSCRIBE) connection goes with the others.
  await Promise.allSettled([app.close(), tokenRevocation.stop(), db.$disconnect(), redis?.quit()]);
  logger.info("stopped");
  process.exit(0);
}
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, (name) => void shutdown(name));
