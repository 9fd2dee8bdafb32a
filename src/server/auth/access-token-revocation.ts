// This process's deny list of access tokens (token-revocation.ts) on the channel the configuration gives, and the
// Better Auth plugin that feeds it: every session Better Auth deletes (sign-out, a session revoked, sign-out
// everywhere, a ban, a password change or reset) revokes that session's JWTs. An account deleted with its sessions
// (they cascade, so no hook sees them) revokes the user's with revokeUserTokens.
import type { BetterAuthPlugin } from "better-auth";
import { env } from "@/env";
import { localChannel, postgresChannel, redisChannel } from "@/server/auth/revocation-channels";
import { createTokenRevocation, type RevocationEvent, type TokenRevocation } from "@/server/auth/token-revocation";
import { db } from "@/server/db";
import { logger } from "@/server/logger";
import { redis } from "@/server/redis";

/** The longest an access token lives (token-plugins.ts signs them for this long). */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 10 * 60;

function channelFromConfiguration() {
  const log = logger.child({ component: "token-revocation" });
  if (redis) return redisChannel({ redis, keyPrefix: env.REDIS_KEY_PREFIX, log });
  // LISTEN needs a session of its own, which a pooler's DATABASE_URL cannot give: the direct address when there is one.
  const listenUrl = env.DATABASE_DIRECT_URL ?? env.DATABASE_URL;
  if (listenUrl) return postgresChannel({ db, listenUrl, log });
  return localChannel();
}

async function sessionIsLive(sid: string): Promise<boolean> {
  const session = await db.session.findUnique({ where: { id: sid }, select: { expiresAt: true } });
  return session !== null && session.expiresAt > new Date();
}

const globalForRevocation = globalThis as unknown as { taskforgeTokenRevocation?: TokenRevocation };

/** This process's deny list; its channel opens at first use (not at import, so a build connects to nothing). */
export const tokenRevocation: TokenRevocation = (globalForRevocation.taskforgeTokenRevocation ??= createTokenRevocation(
  {
    channel: channelFromConfiguration(),
    sessionIsLive,
    tokenLifetimeSeconds: ACCESS_TOKEN_LIFETIME_SECONDS,
    onDown: (reason) =>
      logger.warn({ reason }, "token revocations: channel down; JWT calls check their session in the database"),
    onUp: () => logger.info("token revocations: channel up"),
  },
));

/** Publishes a revocation; a failure is logged, not thrown (the session itself is gone, and this instance knows). */
async function publish(event: RevocationEvent): Promise<void> {
  try {
    await tokenRevocation.revoke(event);
  } catch (error) {
    logger.error({ err: error, event }, "token revocations: could not publish a revocation to other instances");
  }
}

/** Refuses every access token `userId` holds now (account deletion), on every instance. */
export function revokeUserTokens(userId: string): Promise<void> {
  return publish({ sub: userId, at: Math.floor(Date.now() / 1000) });
}

/** Better Auth plugin: a deleted session's JWTs are revoked. */
export function accessTokenRevocation(): BetterAuthPlugin {
  return {
    id: "access-token-revocation",
    init: () => ({
      options: {
        databaseHooks: {
          session: {
            delete: {
              async after(session: { id: string }) {
                await publish({ sid: session.id });
              },
            },
          },
        },
      },
    }),
  };
}
