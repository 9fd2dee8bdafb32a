/**
 * The tRPC server, in the order a request meets it:
 * 1. context: who is calling (cookie, bearer session token or JWT) and with what (database, headers, IP);
 * 2. initialisation: superjson (with a faster serialiser, transformer.ts), the error formatter that hides internals in production;
 * 3. procedures: public, protected (signed in), admin (role re-checked in the database).
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { env } from "@/env";
import { formatError, requestIdOfError } from "@/server/api/error-formatter";
import { transformer } from "@/server/api/transformer";
import { type AuthSession, auth } from "@/server/auth";
import {
  type AccessTokenSession,
  bearerCredential,
  sessionFromAccessToken,
  verifyAccessToken,
} from "@/server/auth/access-token";
import { sessionFromCookie } from "@/server/auth/session-cookie";
import { type Database, db } from "@/server/db";
import { CLIENT_IP_HEADER, clientIpFrom, withClientIp } from "@/server/http/client-ip";
import { isSameSiteRequest } from "@/server/http/origin";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/server/http/request-id";
import { type Logger, logger } from "@/server/logger";
import { type Count, retryAfterSeconds } from "@/server/rate-limit/counter-store";
import { counters } from "@/server/rate-limit/counters";

/* 1. Context ----------------------------------------------------------------------------------- */

/** How the caller proved who they are; null for anonymous callers. */
export type AuthMethod = "cookie" | "session-token" | "jwt" | null;

/** A Better Auth session (cookie or session token), or what a verified JWT says (id, email, name, role). */
export type ContextSession = AuthSession | AccessTokenSession;

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

/** What procedures need, whoever builds it: the HTTP context below, or a caller with a session it already has. */
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

/** The headers Better Auth is given: the trusted client IP, and the request id its log lines carry. */
function headersForAuth(headers: Headers, requestId: string): Headers {
  const copy = withClientIp(headers);
  copy.set(REQUEST_ID_HEADER, requestId);
  return copy;
}

/**
 * The context of one HTTP request. `Authorization: Bearer` wins over a cookie sent alongside:
 * - a JWT is verified in memory (signature, algorithm, exp, nbf, iss, aud) with no database read;
 * - a session token, like the cookie, is read from the database on every request (no cookie cache), so a
 *   revoked session stops working at once. The cookie takes the short way (session-cookie.ts) unless Better
 *   Auth must write something, e.g. a refreshed session cookie, which goes back in `resHeaders`.
 * The request id comes from the HTTP handler (or from X-Request-Id, for server components); Better Auth is given
 * it in the headers, so its own log lines carry it too.
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
  const request = { headers, requestId, log };
  const bearer = bearerCredential(headers);
  if (bearer?.kind === "jwt") {
    const claims = await verifyAccessToken(bearer.token);
    return createInnerContext({ ...request, session: claims && sessionFromAccessToken(claims), authMethod: "jwt" });
  }
  if (bearer?.kind === "session-token") {
    // Better Auth's bearer plugin reads the token from the Authorization header; the cookie must not count.
    const bearerHeaders = headersForAuth(headers, requestId);
    bearerHeaders.delete("cookie");
    const session = await auth.api.getSession({ headers: bearerHeaders });
    return createInnerContext({ ...request, session, authMethod: "session-token" });
  }
  const session = await sessionFromCookie(headers);
  if (session !== undefined) return createInnerContext({ ...request, session });
  const result = await auth.api.getSession({ headers: headersForAuth(headers, requestId), returnHeaders: true });
  for (const cookie of result.headers.getSetCookie()) resHeaders?.append("set-cookie", cookie);
  return createInnerContext({ ...request, session: result.response });
}

/* 2. Initialisation ---------------------------------------------------------------------------- */

const isProduction = env.NODE_ENV === "production";

const t = initTRPC.context<InnerContext>().create({
  transformer,
  isDev: !isProduction,
  // Errors met before a context exists (a refused batch, a failed session lookup) get the id from the HTTP handler.
  errorFormatter: ({ shape, error, ctx }) =>
    formatError({ shape, error, requestId: ctx?.requestId ?? requestIdOfError(error), production: isProduction }),
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/* 3. Procedures -------------------------------------------------------------------------------- */

/** Cross-site request forgery: a mutation authenticated by a cookie must come from one of our origins. */
const sameSiteMutations = t.middleware(({ ctx, type, next }) => {
  if (type === "mutation" && ctx.authMethod === "cookie" && !isSameSiteRequest(ctx.headers)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Cross-site requests cannot change anything." });
  }
  return next();
});

export const publicProcedure = t.procedure.use(sameSiteMutations);

/** Why a call was refused for now, and when to come back; the HTTP handler sends it as Retry-After. */
export class RetryLater extends Error {
  constructor(readonly seconds: number) {
    super(`Try again in ${seconds} seconds.`);
  }
}

/** TOO_MANY_REQUESTS for a counter past its limit; `message` is told the seconds until its window ends. */
export function tooManyRequests(count: Count, message: (seconds: number) => string): TRPCError {
  const seconds = retryAfterSeconds(count);
  return new TRPCError({ code: "TOO_MANY_REQUESTS", message: message(seconds), cause: new RetryLater(seconds) });
}

/** The counter of a user's mutations in the current minute (MUTATION_RATE_LIMIT). */
export const mutationCounterKey = (userId: string) => `mutations:${userId}`;

/**
 * Requires a valid session; `ctx.user` is the signed-in user. Mutations are rate limited per user.
 * A JWT is checked without a database read, so it outlives a deleted account until it expires: a call that then
 * fails inside because its user is gone (a foreign key, a missing row) answers UNAUTHORIZED, like any other
 * caller without an account. The check costs a query only on that failure path.
 */
export const protectedProcedure = publicProcedure.use(async ({ ctx, type, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  const userId = ctx.session.user.id;
  if (type === "mutation") {
    const used = await counters.hit(mutationCounterKey(userId), 60_000);
    if (used.count > env.MUTATION_RATE_LIMIT) {
      throw tooManyRequests(used, (seconds) => `Too many changes in a minute. Try again in ${seconds} seconds.`);
    }
  }
  const result = await next({ ctx: { session: ctx.session, user: ctx.session.user } });
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR") {
    const account = await ctx.db.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!account) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue.", cause: result.error });
  }
  return result;
});

export const ADMIN_ONLY_MESSAGE = "This needs an administrator.";

/** Requires an admin, checked against the database on every call: a role in a token or cache is not trusted. */
export const adminProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  const current = await ctx.db.user.findUnique({
    where: { id: ctx.user.id },
    select: { role: true, banned: true, banExpires: true },
  });
  const banned = current?.banned && (!current.banExpires || current.banExpires > new Date());
  if (!current || banned || current.role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: ADMIN_ONLY_MESSAGE });
  }
  return next();
});
