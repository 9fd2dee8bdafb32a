// What a procedure is called with. The inner context is what procedures need, whoever builds it (a test, a server
// component with a session it already has); the outer one builds it from an HTTP request.
import type { AuthMethod, RequestSession } from "@/server/auth/request-session";
import { getRequestSession } from "@/server/auth/request-session";
import { type Database, db } from "@/server/db";
import { CLIENT_IP_HEADER, clientIpFrom } from "@/server/http/client-ip";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/server/http/request-id";
import { type Logger, logger } from "@/server/logger";

export type { AuthMethod };
export type ContextSession = RequestSession;

export type InnerContext = {
  db: Database;
  session: ContextSession | null;
  authMethod: AuthMethod;
  headers: Headers;
  clientIp: string | null;
  /** The request's id (x-request-id), also in error responses and on every line `log` writes. */
  requestId: string;
  log: Logger;
};

export function createInnerContext(
  options: Partial<Omit<InnerContext, "db">> & { session: ContextSession | null },
): InnerContext {
  const headers = withoutClaimedClientIp(options.headers ?? new Headers());
  const requestId = options.requestId ?? requestIdFrom(headers.get(REQUEST_ID_HEADER));
  return {
    db,
    ...options,
    authMethod: options.session ? (options.authMethod ?? "cookie") : null,
    clientIp: options.clientIp ?? clientIpFrom(headers),
    requestId,
    log: options.log ?? logger.child({ requestId }),
    headers,
  };
}

/**
 * CLIENT_IP_HEADER is ours to set (from X-Forwarded-For, within TRUSTED_PROXY_HOPS); one sent by the client is
 * dropped, so the audit log and anything else reading the context's headers cannot be told another address.
 */
function withoutClaimedClientIp(headers: Headers): Headers {
  if (!headers.has(CLIENT_IP_HEADER)) return headers;
  const copy = new Headers(headers);
  copy.delete(CLIENT_IP_HEADER);
  return copy;
}

/**
 * The context of one HTTP request: the caller's session (src/server/auth/request-session.ts). The request id comes
 * from the HTTP handler (or from X-Request-Id, for server components); Better Auth is given it too, so its own log
 * lines carry it.
 */
export async function createTRPCContext({
  headers,
  resHeaders,
  requestId = requestIdFrom(headers.get(REQUEST_ID_HEADER)),
  log,
}: {
  headers: Headers;
  resHeaders?: Headers;
  requestId?: string;
  log?: Logger;
}): Promise<InnerContext> {
  const { session, authMethod } = await getRequestSession(headers, { requestId, resHeaders });
  return createInnerContext({ headers, requestId, log, session, authMethod });
}
