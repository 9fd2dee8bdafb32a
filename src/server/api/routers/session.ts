// The signed-in user's sessions: where they are signed in, and signing any or all of them out.
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { storableText } from "@/lib/validation/storable";
import { protectedProcedure } from "@/server/api/procedures";
import { recordAuthEvent } from "@/server/audit";
import { revokeSessions, revokeUserSessions } from "@/server/auth/sessions";
import { sessionSelect } from "@/server/db/selects";
import { describeDevice } from "@/server/device";
import { noInput } from "@/lib/validation/no-input";

export const sessionRouter = {
  list: protectedProcedure.input(noInput).query(async ({ ctx }) => {
    const sessions = await ctx.db.session.findMany({
      where: { userId: ctx.user.id, expiresAt: { gt: new Date() } },
      orderBy: { updatedAt: "desc" },
      select: sessionSelect,
    });
    return sessions.map(({ userAgent, updatedAt, ...session }) => ({
      ...session,
      device: describeDevice(userAgent),
      lastSeenAt: updatedAt,
      current: session.id === ctx.session.session.id,
    }));
  }),

  revoke: protectedProcedure
    .input(z.strictObject({ id: storableText().min(1).max(64) }))
    .mutation(async ({ ctx, input }) => {
      const session = await ctx.db.session.findFirst({
        where: { id: input.id, userId: ctx.user.id },
        select: { token: true },
      });
      if (!session) throw new TRPCError({ code: "NOT_FOUND", message: "No such session." });
      await revokeSessions([session.token], "signed-out-remotely");
      await recordAuthEvent(ctx.db, {
        type: "session-revoked",
        userId: ctx.user.id,
        headers: ctx.headers,
        detail: { count: 1 },
      });
      return { id: input.id };
    }),

  revokeOthers: protectedProcedure.input(noInput).mutation(async ({ ctx }) => {
    const others = await ctx.db.session.findMany({
      where: { userId: ctx.user.id, id: { not: ctx.session.session.id } },
      select: { token: true },
    });
    await revokeSessions(
      others.map((session) => session.token),
      "signed-out-remotely",
    );
    await recordAuthEvent(ctx.db, {
      type: "session-revoked",
      userId: ctx.user.id,
      headers: ctx.headers,
      detail: { count: others.length, scope: "others" },
    });
    return { count: others.length };
  }),

  /** Signs out everywhere, this device included. */
  revokeAll: protectedProcedure.input(noInput).mutation(async ({ ctx }) => {
    const count = await ctx.db.session.count({ where: { userId: ctx.user.id } });
    await revokeUserSessions(ctx.user.id, "signed-out-everywhere");
    await recordAuthEvent(ctx.db, {
      type: "session-revoked",
      userId: ctx.user.id,
      headers: ctx.headers,
      detail: { count, scope: "all" },
    });
    return { count };
  }),
} satisfies TRPCRouterRecord;
