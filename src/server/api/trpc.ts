/**
 * The tRPC server, in the order a request meets it:
 * 1. context: who is calling (Better Auth session) and with what (database, headers, IP);
 * 2. initialisation: superjson, the error formatter that hides internals in production;
 * 3. procedures: public, protected (signed in), admin (role re-checked in the database).
 */
import { randomUUID } from "node:crypto";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { env } from "@/env";
import { formatError } from "@/server/api/error-formatter";
import { type AuthSession, auth } from "@/server/auth";
import { type Database, db } from "@/server/db";
import { clientIpFrom, withClientIp } from "@/server/http/client-ip";

/* 1. Context ----------------------------------------------------------------------------------- */

/** How the caller proved who they are; null for anonymous callers. */
export type AuthMethod = "cookie" | null;

export type InnerContext = {
  db: Database;
  session: AuthSession | null;
  authMethod: AuthMethod;
  headers: Headers;
  clientIp: string | null;
  requestId: string;
};

/** What procedures need, without a request: tests and server components build it directly. */
export function createInnerContext(
  options: Partial<Omit<InnerContext, "db">> & { session: AuthSession | null },
): InnerContext {
  const headers = options.headers ?? new Headers();
  return {
    db,
    authMethod: options.session ? (options.authMethod ?? "cookie") : null,
    clientIp: options.clientIp ?? clientIpFrom(headers),
    requestId: options.requestId ?? randomUUID(),
    ...options,
    headers,
  };
}

/**
 * The context of one HTTP request. The session is read from the database on every request (no cookie
 * cache), so a revoked session stops working at once; a refreshed session cookie goes back in `resHeaders`.
 */
export async function createTRPCContext({
  headers,
  resHeaders,
}: {
  headers: Headers;
  resHeaders?: Headers;
}): Promise<InnerContext> {
  const result = await auth.api.getSession({ headers: withClientIp(headers), returnHeaders: true });
  for (const cookie of result.headers.getSetCookie()) resHeaders?.append("set-cookie", cookie);
  return createInnerContext({ session: result.response, headers });
}

/* 2. Initialisation ---------------------------------------------------------------------------- */

const isProduction = env.NODE_ENV === "production";

const t = initTRPC.context<InnerContext>().create({
  transformer: superjson,
  isDev: !isProduction,
  errorFormatter: ({ shape, error, ctx }) =>
    formatError({ shape, error, requestId: ctx?.requestId ?? null, production: isProduction }),
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/* 3. Procedures -------------------------------------------------------------------------------- */

export const publicProcedure = t.procedure;

/** Requires a valid session; `ctx.user` is the signed-in user. */
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  return next({ ctx: { session: ctx.session, user: ctx.session.user } });
});

/** Requires an admin, checked against the database on every call: a role in a token or cache is not trusted. */
export const adminProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  const current = await ctx.db.user.findUnique({
    where: { id: ctx.user.id },
    select: { role: true, banned: true, banExpires: true },
  });
  const banned = current?.banned && (!current.banExpires || current.banExpires > new Date());
  if (!current || banned || current.role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: "This needs an administrator." });
  }
  return next();
});
