// Test helpers: real users, real sessions and real cookies, so callers go through Better Auth like a browser.
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { makeSignature } from "better-auth/crypto";
import { createCaller } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/context";
import { auth } from "@/server/auth";
import { hashPassword } from "@/server/auth/password-hashing";
import { db } from "@/server/db";

export const STRONG_PASSWORD = "plaid-otter-quarry-91";

export type TestUser = { id: string; email: string; name: string; role: string; password: string };

/** A verified user with a password account (role "user" unless told otherwise). */
export async function createUser(
  options: { role?: "user" | "admin"; name?: string; email?: string } = {},
): Promise<TestUser> {
  const ctx = await auth.$context;
  const email = options.email ?? `user-${randomUUID()}@example.com`;
  const name = options.name ?? "Test User";
  const created = await ctx.internalAdapter.createUser({ email, name, emailVerified: true }, { method: "admin" });
  await ctx.internalAdapter.linkAccount({
    userId: created.id,
    providerId: "credential",
    accountId: created.id,
    password: await hashPassword(STRONG_PASSWORD),
  });
  const role = options.role ?? "user";
  await db.user.update({ where: { id: created.id }, data: { role } });
  return { id: created.id, email, name, role, password: STRONG_PASSWORD };
}

/**
 * A new session for `user` and the Cookie header a browser would send with it; `signedToken` is what a client
 * without cookies sends as `Authorization: Bearer`.
 */
export async function signIn(user: {
  id: string;
}): Promise<{ headers: Headers; token: string; signedToken: string; sessionId: string }> {
  const ctx = await auth.$context;
  const session = await ctx.internalAdapter.createSession(user.id);
  const signed = `${session.token}.${await makeSignature(session.token, ctx.secret)}`;
  const headers = new Headers({ cookie: `${ctx.authCookies.sessionToken.name}=${encodeURIComponent(signed)}` });
  return { headers, token: session.token, signedToken: signed, sessionId: session.id };
}

/** A caller whose context is built from request headers, exactly as for an HTTP request. */
export async function callerWithHeaders(headers: Headers) {
  return createCaller(await createTRPCContext({ headers }));
}

/** The context of a request signed in as `user` (through a real session cookie), or anonymous for null. */
export async function createTestContext(user: { id: string } | null) {
  return createTRPCContext({ headers: user ? (await signIn(user)).headers : new Headers() });
}

/** A caller signed in as `user`, or anonymous for null: `const caller = await createTestCaller(user)`. */
export async function createTestCaller(user: { id: string } | null) {
  return createCaller(await createTestContext(user));
}

type Callable = (input?: unknown) => Promise<unknown>;

/** The procedure at a dotted path ("task.create") of a caller, for tests that walk every procedure. */
export function procedureAt(caller: object, path: string): Callable {
  // The caller is a proxy keyed by path segments; walking it by string loses the static types on purpose.
  return path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as Callable;
}

/** The tRPC error code a call ends with, or "OK" when it succeeds. */
export async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}
