// The account is the user's: export everything we hold about them, or delete it all.
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { deleteAccountInput } from "@/lib/validation/account";
import { taskSelect } from "@/server/api/routers/task";
import { profileSelect } from "@/server/api/routers/user";
import { protectedProcedure, tooManyRequests } from "@/server/api/trpc";
import { authEventSelect, recordAuthEvent } from "@/server/audit";
import { auth } from "@/server/auth";
import { verifyPassword } from "@/server/auth/password-hashing";
import {
  SIGN_IN_FAILURE_LIMIT,
  SIGN_IN_FAILURE_WINDOW_MS,
  failedPasswordKey,
} from "@/server/auth/sign-in-throttle";
import { counters } from "@/server/rate-limit/counters";
import { noInput } from "@/lib/validation/no-input";

export const accountRouter = {
  /** Profile, tasks, sessions and audit events as one JSON document; no hash, token or secret. */
  export: protectedProcedure.input(noInput).query(async ({ ctx }) => {
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
   * against the same per-account limit as sign-in, so this is no side door for guessing.
   */
  delete: protectedProcedure
    .input(deleteAccountInput)
    .mutation(async ({ ctx, input }) => {
      // Like sign-in, each attempt reserves its failure before the check, so a parallel burst gets no more guesses.
      const key = failedPasswordKey(ctx.user.email);
      const reserved = key ? await counters.hit(key, SIGN_IN_FAILURE_WINDOW_MS) : null;
      let wrongPassword = false;
      try {
        if (reserved && reserved.count > SIGN_IN_FAILURE_LIMIT) {
          throw tooManyRequests(reserved, (seconds) => `Too many wrong passwords. Try again in ${Math.ceil(seconds / 60)} minutes.`);
        }
        const credential = await ctx.db.account.findFirst({
          where: { userId: ctx.user.id, providerId: "credential" },
          select: { password: true },
        });
        wrongPassword = !credential?.password || !(await verifyPassword({ hash: credential.password, password: input.password }));
        if (wrongPassword) throw new TRPCError({ code: "BAD_REQUEST", message: "The password is not right." });
      } finally {
        // Only a wrong password keeps its reservation.
        if (key && !wrongPassword) await counters.release(key, SIGN_IN_FAILURE_WINDOW_MS);
      }
      // Sessions first, through Better Auth, so copies in Redis go too; then the rows (tasks and accounts cascade).
      await (await auth.$context).internalAdapter.deleteUserSessions(ctx.user.id);
      await ctx.db.user.delete({ where: { id: ctx.user.id } });
      await recordAuthEvent(ctx.db, { type: "account-deleted", headers: ctx.headers, detail: { userId: ctx.user.id } });
      return { id: ctx.user.id };
    }),
} satisfies TRPCRouterRecord;
