// Administration of accounts: roles and bans. Each change writes its audit row in the same transaction as the change,
// under the admins' lock where it could take the last admin away; sessions follow once it is committed.
import { TRPCError } from "@trpc/server";
import type { Prisma } from "@/generated/prisma/client";
import { recordAuthEvent } from "@/server/audit";
import { forgetUserTrustedDevices, refreshSessionCopies, revokeUserSessions } from "@/server/auth/sessions";
import type { Database } from "@/server/db";
import { adminUserSelect } from "@/server/db/selects";
import { messages } from "@/server/email/messages";
import { enqueueMail } from "@/server/email/outbox";

export const ADMIN_ONLY_MESSAGE = "This needs an administrator.";

type Transaction = Parameters<Parameters<Database["$transaction"]>[0]>[0];
/** Who acts, and from which request (for the audit row). */
type Actor = { id: string; headers: Headers; requestId?: string };

/** True for a user with the role admin and no ban in force. */
export function isUsableAdminUser(user: { role: string; banned: boolean | null; banExpires: Date | null }): boolean {
  const banned = user.banned && (!user.banExpires || user.banExpires > new Date());
  return user.role === "admin" && !banned;
}

/**
 * Before a change that takes admin rights from `targetId` (a demotion, a ban, the deletion of one's own account):
 * locks the usable admins (role admin, not banned) until the transaction ends, so such changes are made one at a
 * time, then refuses when the acting admin, if any, is no longer one of them (another admin demoted them meanwhile)
 * or when the target is the last one left.
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

/** Applies an admin change to another account; NOT_FOUND when it does not exist. */
async function updateUser(tx: Pick<Transaction, "user">, userId: string, data: Prisma.UserUpdateInput) {
  const user = await tx.user.updateManyAndReturn({ where: { id: userId }, data, select: adminUserSelect });
  if (!user[0]) throw new TRPCError({ code: "NOT_FOUND", message: "No such user." });
  return user[0];
}

function refuseSelf(actor: Actor, userId: string, action: string) {
  if (actor.id === userId) throw new TRPCError({ code: "BAD_REQUEST", message: `You cannot ${action} yourself.` });
}

/** Demoting an admin (oneself included) never leaves the app without one: see `keepAnAdmin`. */
export async function setRole(db: Database, actor: Actor, input: { userId: string; role: "user" | "admin" }) {
  const user = await db.$transaction(async (tx) => {
    if (input.role !== "admin") await keepAnAdmin(tx, { actorId: actor.id, targetId: input.userId });
    const changed = await updateUser(tx, input.userId, { role: input.role });
    await recordAuthEvent(tx, {
      type: "role-changed",
      userId: input.userId,
      headers: actor.headers,
      detail: { role: input.role, by: actor.id },
    });
    return changed;
  });
  await refreshSessionCopies(input.userId);
  return user;
}

/** A ban signs the user out everywhere at once; sign-in is refused until it ends. The last admin cannot be banned. */
export async function ban(
  db: Database,
  actor: Actor,
  input: { userId: string; reason?: string | undefined; expiresAt?: Date | undefined },
) {
  refuseSelf(actor, input.userId, "ban");
  const user = await db.$transaction(async (tx) => {
    await keepAnAdmin(tx, { actorId: actor.id, targetId: input.userId });
    const banned = await updateUser(tx, input.userId, {
      banned: true,
      banReason: input.reason ?? null,
      banExpires: input.expiresAt ?? null,
    });
    await recordAuthEvent(tx, {
      type: "banned",
      userId: input.userId,
      headers: actor.headers,
      detail: { by: actor.id, reason: input.reason ?? null, expiresAt: input.expiresAt?.toISOString() ?? null },
    });
    return banned;
  });
  await revokeUserSessions(input.userId, "banned");
  return user;
}

export async function unban(db: Database, actor: Actor, input: { userId: string }) {
  const user = await db.$transaction(async (tx) => {
    const unbanned = await updateUser(tx, input.userId, { banned: false, banReason: null, banExpires: null });
    await recordAuthEvent(tx, {
      type: "unbanned",
      userId: input.userId,
      headers: actor.headers,
      detail: { by: actor.id },
    });
    return unbanned;
  });
  await refreshSessionCopies(input.userId);
  return user;
}

/**
 * Turns off another user's second factor (they lost their authenticator and their backup codes): the secret and the
 * codes are deleted, their trusted devices forgotten, and they are mailed. Their sessions stay.
 */
export async function resetSecondFactor(db: Database, actor: Actor, input: { userId: string }) {
  refuseSelf(actor, input.userId, "reset the second factor of");
  const user = await db.$transaction(async (tx) => {
    const removed = await tx.twoFactor.deleteMany({ where: { userId: input.userId } });
    const changed = await updateUser(tx, input.userId, { twoFactorEnabled: false });
    // Already without one (a second admin was quicker): nothing to tell.
    if (removed.count === 0) return changed;
    await recordAuthEvent(tx, {
      type: "two-factor-reset",
      userId: input.userId,
      headers: actor.headers,
      detail: { by: actor.id },
    });
    await enqueueMail(messages.twoFactorReset(changed.email, changed.name), { db: tx, requestId: actor.requestId });
    return changed;
  });
  await forgetUserTrustedDevices(input.userId);
  await refreshSessionCopies(input.userId);
  return user;
}
