// Sessions slide (idle timeout) but never outlive SESSION_ABSOLUTE_LIFETIME: Better Auth has no absolute cap,
// so every write of `expiresAt` is clamped to createdAt + lifetime.
import type { BetterAuthOptions } from "better-auth";
import { env } from "@/env";

/** When a session created at `createdAt` ends however active it is. */
export function absoluteExpiry(createdAt: Date): Date {
  return new Date(createdAt.getTime() + env.SESSION_ABSOLUTE_LIFETIME * 1000);
}

function clamp(expiresAt: Date, createdAt: Date): Date {
  const limit = absoluteExpiry(createdAt);
  return expiresAt > limit ? limit : expiresAt;
}

export const sessionLifetimeHooks = {
  create: {
    async before(session) {
      return { data: { ...session, expiresAt: clamp(session.expiresAt, session.createdAt ?? new Date()) } };
    },
  },
  update: {
    async before(update, ctx) {
      // The refresh in get-session runs with the current session loaded in the context.
      const createdAt = ctx?.context.session?.session.createdAt;
      if (!update.expiresAt || !createdAt) return;
      return { data: { ...update, expiresAt: clamp(new Date(update.expiresAt), new Date(createdAt)) } };
    },
  },
} satisfies NonNullable<NonNullable<BetterAuthOptions["databaseHooks"]>["session"]>;
