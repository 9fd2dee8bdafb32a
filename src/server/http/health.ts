// Probes for load balancers and orchestrators. Liveness (GET /api/health, alias /api/ping): the process answers;
// nothing else is touched, so a database outage never gets an instance restarted. Readiness (GET /api/ready): the
// database answers `SELECT 1` within a short timeout, so an instance that cannot serve is taken out of rotation.
import type { Database } from "@/server/db";
import { apiSecurityHeaders } from "@/server/http/api-request";
import { type Logger, logger } from "@/server/logger";

/** Probes are never cached; Next's proxy, which sets the security headers on pages, does not run for /api. */
const probeHeaders = () => ({ "cache-control": "no-store", ...apiSecurityHeaders() });

export function liveness(): Response {
  return Response.json({ status: "ok" }, { headers: probeHeaders() });
}

/** How long to wait for the database before calling it down; probes usually time out after a few seconds. */
export const READINESS_TIMEOUT_MS = 1_500;
/** Seconds a client should wait before asking again when not ready. */
const RETRY_AFTER_SECONDS = 5;

function timeout(ms: number): { promise: Promise<never>; clear: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

/**
 * The readiness probe of `database`. Concurrent probes share one query, so a database that hangs collects at most
 * one pending query however often it is asked; the answer comes within `timeoutMs` either way. The body says up or
 * down and nothing more: the reason is in the log.
 */
export function createReadinessProbe(
  database: Database,
  { timeoutMs = READINESS_TIMEOUT_MS, log = logger }: { timeoutMs?: number; log?: Logger } = {},
): () => Promise<Response> {
  let inFlight: Promise<unknown> | null = null;
  return async function readiness() {
    inFlight ??= Promise.resolve(database.$queryRaw`SELECT 1`).finally(() => {
      inFlight = null;
    });
    const deadline = timeout(timeoutMs);
    try {
      await Promise.race([inFlight, deadline.promise]);
      return Response.json({ status: "ok", db: "ok" }, { headers: probeHeaders() });
    } catch (error) {
      log.warn({ err: error }, "not ready: the database is unreachable");
      return Response.json(
        { status: "unavailable", db: "down" },
        { status: 503, headers: { ...probeHeaders(), "retry-after": String(RETRY_AFTER_SECONDS) } },
      );
    } finally {
      deadline.clear();
    }
  };
}
