// Users: the signed-in user's profile, and the administration of every account.
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import {
  authEventsInput,
  authEventsOfInput,
  banInput,
  setRoleInput,
  unbanInput,
  updateProfileInput,
  userId,
  userListInput,
} from "@/lib/validation/user";
import { afterCursor, newestFirst, toPage } from "@/server/api/pagination";
import { ADMIN_ONLY_MESSAGE, adminProcedure, protectedProcedure } from "@/server/api/trpc";
import { authEventSelect, recordAuthEvent } from "@/server/audit";
import { auth } from "@/server/auth";
import { refreshSessionCopies } from "@/server/auth/session-copies";
import type { Database } from "@/server/db";
import { noInput } from "@/lib/validation/no-input";

export const profileSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  emailVerified: true,
  createdAt: true,
} satisfies Prisma.UserSelect;

export const adminUserSelect = {
  ...profileSelect,
  banned: true,
  banReason: true,
  banExpires: true,
} satisfies Prisma.UserSelect;

/** Applies an admin change to another account; NOT_FOUND when it does not exist. */
async function updateUser(db: Pick<Database, "user">, userId: string, data: Prisma.UserUpdateInput) {
  const user = await db.user.updateManyAndReturn({ where: { id: userId }, data, select: adminUserSelect });
  if (!user[0]) throw new TRPCError({ code: "NOT_FOUND", message: "No such user." });
  return user[0];
}

/** Audit events have UUIDs (users have Better Auth's string ids). */
const authEventId = z.uuid();

/** One page of a user's audit events, newest first. */
async function authEventsPage(db: Database, ownerId: string, input: { cursor?: string; limit: number }) {
  const rows = await db.authEvent.findMany({
    where: { userId: ownerId, ...afterCursor(input.cursor, authEventId) },
    orderBy: [...newestFirst],
    take: input.limit + 1,
    select: authEventSelect,
  });
  return toPage(rows, input.limit);
}

/**
 * Before a change that takes admin rights from `targetId` (a demotion, a ban, the deletion of one's own account): locks
 * the usable admins (role admin, not banned) until the transaction ends, so such changes are made one at a time, then
 * refuses when the acting admin, if any, is no longer one of them (another admin demoted them meanwhile) or when the
 * target is the last one left.
 */
export async function keepAnAdmin(tx: Pick<Database, "$queryRaw">, change: { actorId?: string; targetId: string }) {
  const admins = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM users
    WHERE role = 'admin' AND (NOT banned OR (ban_expires IS NOT NULL AND ban_expires <= now()))
    FOR UPDATE`;
  const ids = admins.map((admin) => admin.id);
  if (change.actorId !== undefined && !ids.includes(change.actorId)) {
    throw new TRPCError({ code: "FORBIDDEN", message: ADMIN_ONLY_MESSAGE });
  }
  if (ids.includes(change.targetId) && ids.length <= 1) {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: "This is the last administrator: promote someone else first.",
    });
  }
}

function refuseSelf(actorId: string, userId: string, action: string) {
  if (actorId === userId) throw new TRPCError({ code: "BAD_REQUEST", message: `You cannot ${action} yourself.` });
}

export const userRouter = {
  me: protectedProcedure.input(noInput).query(async ({ ctx }) => {
    const me = await ctx.db.user.findUnique({ where: { id: ctx.user.id }, select: profileSelect });
    if (!me) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
    return me;
  }),

  updateProfile: protectedProcedure.input(updateProfileInput).mutation(async ({ ctx, input }) => {
    const me = await ctx.db.user.update({
      where: { id: ctx.user.id },
      data: { name: input.name },
      select: profileSelect,
    });
    await refreshSessionCopies(ctx.user.id);
    return me;
  }),

  /** The signed-in user's own account events. */
  authEvents: protectedProcedure
    .input(authEventsInput)
    .query(({ ctx, input }) => authEventsPage(ctx.db, ctx.user.id, input)),

  /** Any user's account events, for admins. */
  authEventsOf: adminProcedure
    .input(authEventsOfInput)
    .query(({ ctx, input }) => authEventsPage(ctx.db, input.userId, input)),

  list: adminProcedure.input(userListInput).query(async ({ ctx, input }) => {
    // Prisma's `contains` is ILIKE '%…%' with the text as given: %, _ and \ are escaped to mean themselves.
    const text = input.search?.replace(/[\\%_]/g, "\\$&");
    const search = text
      ? {
          OR: [
            { email: { contains: text, mode: "insensitive" as const } },
            { name: { contains: text, mode: "insensitive" as const } },
          ],
        }
      : {};
    const rows = await ctx.db.user.findMany({
      where: { AND: [search, afterCursor(input.cursor, userId)] },
      orderBy: [...newestFirst],
      take: input.limit + 1,
      select: adminUserSelect,
    });
    return toPage(rows, input.limit);
  }),

  /** Demoting an admin (oneself included) never leaves the app without one: see `keepAnAdmin`. */
  setRole: adminProcedure.input(setRoleInput).mutation(async ({ ctx, input }) => {
    const user = await ctx.db.$transaction(async (tx) => {
      if (input.role !== "admin") await keepAnAdmin(tx, { actorId: ctx.user.id, targetId: input.userId });
      const changed = await updateUser(tx, input.userId, { role: input.role });
      await recordAuthEvent(tx, {
        type: "role-changed",
        userId: input.userId,
        headers: ctx.headers,
        detail: { role: input.role, by: ctx.user.id },
      });
      return changed;
    });
    await refreshSessionCopies(input.userId);
    return user;
  }),

  /** A ban signs the user out everywhere at once; sign-in is refused until it ends. The last admin cannot be banned. */
  ban: adminProcedure.input(banInput).mutation(async ({ ctx, input }) => {
    refuseSelf(ctx.user.id, input.userId, "ban");
    const user = await ctx.db.$transaction(async (tx) => {
      await keepAnAdmin(tx, { actorId: ctx.user.id, targetId: input.userId });
      return updateUser(tx, input.userId, {
        banned: true,
        banReason: input.reason ?? null,
        banExpires: input.expiresAt ?? null,
      });
    });
    await (await auth.$context).internalAdapter.deleteUserSessions(input.userId);
    await recordAuthEvent(ctx.db, {
      type: "banned",
      userId: input.userId,
      headers: ctx.headers,
      detail: { by: ctx.user.id, reason: input.reason ?? null, expiresAt: input.expiresAt?.toISOString() ?? null },
    });
    return user;
  }),

  unban: adminProcedure.input(unbanInput).mutation(async ({ ctx, input }) => {
    const user = await updateUser(ctx.db, input.userId, { banned: false, banReason: null, banExpires: null });
    await refreshSessionCopies(input.userId);
    await recordAuthEvent(ctx.db, {
      type: "unbanned",
      userId: input.userId,
      headers: ctx.headers,
      detail: { by: ctx.user.id },
    });
    return user;
  }),
} satisfies TRPCRouterRecord;
