// The account is the user's: export everything we hold about them, or delete it all.
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { deleteAccountInput } from "@/lib/validation/account";
import { taskSelect } from "@/server/api/routers/task";
import { keepAnAdmin, profileSelect } from "@/server/api/routers/user";
import { protectedProcedure, RetryLater, tooManyRequests } from "@/server/api/trpc";
import { authEventSelect, recordAuthEvent } from "@/server/audit";
import { auth } from "@/server/auth";
import { passwordAttempts, tooManyWrongPasswordsMessage } from "@/server/auth/password-attempts";
import { PasswordHashingBusy, verifyPassword } from "@/server/auth/password-hashing";
import { counters } from "@/server/rate-limit/counters";
import { noInput } from "@/lib/validation/no-input";

export const accountRouter = {
  /**
   * Profile, tasks, sessions and audit events as one JSON document; no hash, token or secret. A mutation, as it writes
   * the audit event: a query is a GET, which any site can make a signed-in browser send.
   */
  export: protectedProcedure.input(noInput).mutation(async ({ ctx }) => {
    const userId = ctx.user.id;
    const [profile, tasks, sessions, authEvents] = await Promise.all([
      ctx.db.user.findUniqueOrThrow({ where: { id: userId }, select: profileSelect }),
      ctx.db.task.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: taskSelect }),
      ctx.db.session.findMany({
        where: { userId },
        orderBy: { createdAt: "asc" },
        select: { id: true, ipAddress: true, userAgent: true, createdAt: true, updatedAt: true, expiresAt: true },
      }),
      ctx.db.authEvent.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: authEventSelect }),
    ]);
    await recordAuthEvent(ctx.db, { type: "account-exported", userId, headers: ctx.headers });
    return { exportedAt: new Date(), profile, tasks, sessions, authEvents };
  }),

  /**
   * Deletes the account, its tasks and sessions, after the password is entered again. Wrong passwords count
   * against the same per-account limit as sign-in, so this is no side door for guessing. The last usable admin
   * cannot leave: the app keeps an admin, as with demotions and bans.
   */
  delete: protectedProcedure.input(deleteAccountInput).mutation(async ({ ctx, input }) => {
    const attempt = await passwordAttempts(counters)
      .check(ctx.user.email, async () => {
        const hash = (
          await ctx.db.account.findFirst({
            where: { userId: ctx.user.id, providerId: "credential" },
            select: { password: true },
          })
        )?.password;
        return hash ? verifyPassword({ hash, password: input.password }) : false;
      })
      .catch((error: unknown) => {
        // A full hashing queue is a busy server, not a wrong password (the attempt is not counted).
        if (!(error instanceof PasswordHashingBusy)) throw error;
        throw new TRPCError({
          code: "SERVICE_UNAVAILABLE",
          message: error.message,
          cause: new RetryLater(error.retryAfterSeconds),
        });
      });
    if ("throttled" in attempt) throw tooManyRequests(attempt.throttled, tooManyWrongPasswordsMessage);
    if (!attempt.right) throw new TRPCError({ code: "BAD_REQUEST", message: "The password is not right." });
    // The rows (tasks, accounts and sessions cascade) under the admins' lock, so two admins leaving at once cannot
    // both go; then every session through Better Auth, so copies in Redis go too.
    await ctx.db.$transaction(async (tx) => {
      await keepAnAdmin(tx, { targetId: ctx.user.id });
      await tx.user.delete({ where: { id: ctx.user.id } });
    });
    await (await auth.$context).internalAdapter.deleteUserSessions(ctx.user.id);
    await recordAuthEvent(ctx.db, { type: "account-deleted", headers: ctx.headers, detail: { userId: ctx.user.id } });
    return { id: ctx.user.id };
  }),
} satisfies TRPCRouterRecord;
