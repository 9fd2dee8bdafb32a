// Users: the signed-in user's profile, and the administration of every account.
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import {
  authEventsInput,
  authEventsOfInput,
  banInput,
  setRoleInput,
  unbanInput,
  resetSecondFactorInput,
  updateProfileInput,
  userId,
  userListInput,
} from "@/lib/validation/user";
import { afterCursor, newestFirst, toPage } from "@/server/api/pagination";
import { adminProcedure, protectedProcedure } from "@/server/api/procedures";
import { authEventSelect } from "@/server/audit";
import { refreshSessionCopies } from "@/server/auth/sessions";
import type { Database } from "@/server/db";
import { adminUserSelect, profileSelect } from "@/server/db/selects";
import { ban, resetSecondFactor, setRole, unban } from "@/server/services/user-administration";
import { noInput } from "@/lib/validation/no-input";

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

const actorIdOf = (detail: unknown): string | null => {
  const by = detail && typeof detail === "object" && "by" in detail ? detail.by : null;
  return typeof by === "string" && by ? by : null;
};

/**
 * For administrators: each event with the name of the account that acted on it (`detail.by`, an administrator),
 * read in one query for the page; null when no one else acted or that account is gone. A user's own list does not
 * name administrators (docs/authentication.md).
 */
async function withActorNames<T extends { detail: unknown }>(
  db: Database,
  page: { items: T[]; nextCursor: string | null },
) {
  const ids = [...new Set(page.items.map((event) => actorIdOf(event.detail)).filter((id) => id !== null))];
  const actors = ids.length
    ? await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
    : [];
  const names = new Map(actors.map((actor) => [actor.id, actor.name]));
  return {
    ...page,
    items: page.items.map((event) => ({ ...event, actorName: names.get(actorIdOf(event.detail) ?? "") ?? null })),
  };
}

/** Each user of a page with when they were last active: the latest activity of their sessions (one query a page). */
async function withLastActive<T extends { id: string }>(db: Database, page: { items: T[]; nextCursor: string | null }) {
  const latest = await db.session.groupBy({
    by: ["userId"],
    where: { userId: { in: page.items.map((user) => user.id) } },
    _max: { updatedAt: true },
  });
  const lastActive = new Map(latest.map((row) => [row.userId, row._max.updatedAt]));
  return { ...page, items: page.items.map((user) => ({ ...user, lastActiveAt: lastActive.get(user.id) ?? null })) };
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
    .query(async ({ ctx, input }) => withActorNames(ctx.db, await authEventsPage(ctx.db, input.userId, input))),

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
      where: { AND: [search, { banned: input.banned }, afterCursor(input.cursor, userId)] },
      orderBy: [...newestFirst],
      take: input.limit + 1,
      select: adminUserSelect,
    });
    return withLastActive(ctx.db, toPage(rows, input.limit));
  }),

  /** Demoting an admin (oneself included) never leaves the app without one. */
  setRole: adminProcedure
    .input(setRoleInput)
    .mutation(({ ctx, input }) => setRole(ctx.db, { id: ctx.user.id, headers: ctx.headers }, input)),

  /** A ban signs the user out everywhere at once; sign-in is refused until it ends. The last admin cannot be banned. */
  ban: adminProcedure
    .input(banInput)
    .mutation(({ ctx, input }) => ban(ctx.db, { id: ctx.user.id, headers: ctx.headers }, input)),

  unban: adminProcedure
    .input(unbanInput)
    .mutation(({ ctx, input }) => unban(ctx.db, { id: ctx.user.id, headers: ctx.headers }, input)),

  /** For a user who lost their authenticator and backup codes: the second factor is turned off and they are mailed. */
  resetSecondFactor: adminProcedure
    .input(resetSecondFactorInput)
    .mutation(({ ctx, input }) =>
      resetSecondFactor(ctx.db, { id: ctx.user.id, headers: ctx.headers, requestId: ctx.requestId }, input),
    ),
} satisfies TRPCRouterRecord;
