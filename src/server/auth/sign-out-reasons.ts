// Why a session ended, told to the device that held it: when a session is deleted for a reason its device did not
// choose (signed out from another device, everywhere, by a password change, a ban) or found expired, a row keyed by
// a hash of its token keeps the reason until the cookie would have expired anyway. The sign-in page asks with the
// browser's cookie (sessions.ts, signOutReason): only a cookie signed with our secret is looked up, so the answer
// reaches someone who held the session and nobody else.
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import type { BetterAuthPlugin } from "better-auth";
import { type SignOutReason, isSignOutReason } from "@/lib/sign-out-reasons";
import type { Database } from "@/server/db";
import { logger } from "@/server/logger";

/**
 * A reason given by the code that ends sessions outside Better Auth's endpoints (sessions.ts). One per process: the
 * server code may be loaded twice (Next's bundle and the API listener) while the auth instance, and so the hook that
 * reads it, is shared (src/server/auth/index.ts).
 */
const globalForReasons = globalThis as unknown as { taskforgeSignOutReason?: AsyncLocalStorage<SignOutReason> };
const givenReason = (globalForReasons.taskforgeSignOutReason ??= new AsyncLocalStorage<SignOutReason>());

/** Runs `end` (which deletes sessions) so that the sessions it deletes are recorded as ended for `reason`. */
export function withSignOutReason<T>(reason: SignOutReason, end: () => Promise<T>): Promise<T> {
  return givenReason.run(reason, end);
}

/** Better Auth's endpoints that end sessions other than the caller's, and what that means to those devices. */
const REASON_BY_PATH = new Map<string, SignOutReason>([
  ["/revoke-session", "signed-out-remotely"],
  ["/revoke-other-sessions", "signed-out-remotely"],
  ["/revoke-sessions", "signed-out-everywhere"],
  ["/change-password", "password-changed"],
  ["/reset-password", "password-changed"],
]);

const tokenHash = (token: string) => createHash("sha256").update(token).digest("base64url");

type EndedSession = { token: string; userId: string; expiresAt: Date };

/** Better Auth plugin: records why each session it deletes ended, when that is something to tell its device. */
export function signOutReasons({ db, cookieLifetimeSeconds }: { db: Database; cookieLifetimeSeconds: number }) {
  return {
    id: "sign-out-reasons",
    init: () => ({
      options: {
        databaseHooks: {
          session: {
            delete: {
              async after(session: EndedSession, context: { path?: string } | null) {
                const now = Date.now();
                const reason =
                  givenReason.getStore() ??
                  REASON_BY_PATH.get(context?.path ?? "") ??
                  (new Date(session.expiresAt).getTime() <= now ? "expired" : undefined);
                // A sign-out from this device, or a sign-in not finished: the device knows.
                if (!reason) return;
                const row = {
                  tokenHash: tokenHash(session.token),
                  userId: session.userId,
                  reason,
                  expiresAt: new Date(now + cookieLifetimeSeconds * 1000),
                };
                try {
                  await db.signedOutSession.upsert({ where: { tokenHash: row.tokenHash }, create: row, update: row });
                } catch (error) {
                  // The session is gone either way; only the explanation is lost (the user may be gone too).
                  logger.warn({ err: error }, "sign-out reasons: could not record why a session ended");
                }
              },
            },
          },
        },
      },
    }),
  } satisfies BetterAuthPlugin;
}

/** The reason recorded for the session with this token, if any. */
export async function recordedSignOutReason(db: Database, token: string): Promise<SignOutReason | null> {
  const row = await db.signedOutSession.findUnique({
    where: { tokenHash: tokenHash(token) },
    select: { reason: true, expiresAt: true },
  });
  return row && row.expiresAt.getTime() > Date.now() && isSignOutReason(row.reason) ? row.reason : null;
}
