// The ways an account can sign in (a password, a provider's account, a passkey), read where one is about to go:
// removing a passkey or unlinking a provider never leaves an account without one (LAST_SIGN_IN_METHOD).
import type { Database } from "@/server/db";

/** Whether `userId` has a password: an account made with a passkey has none until one is set by a reset link. */
export async function hasPassword(db: Database, userId: string): Promise<boolean> {
  return (await db.account.count({ where: { userId, providerId: "credential", password: { not: null } } })) > 0;
}

/** What is about to be removed: one passkey, or one linked account. */
export type SignInWay = { passkeyId: string } | { accountId: string };

/** Whether `userId` can still sign in without `removed`: a password, a provider's account, or a passkey left. */
export async function hasOtherWayToSignIn(db: Database, userId: string, removed: SignInWay): Promise<boolean> {
  const [passkeys, accounts] = await Promise.all([
    db.passkey.count({ where: { userId, ...("passkeyId" in removed && { id: { not: removed.passkeyId } }) } }),
    db.account.count({
      where: {
        userId,
        ...("accountId" in removed && { id: { not: removed.accountId } }),
        OR: [{ providerId: { not: "credential" } }, { password: { not: null } }],
      },
    }),
  ]);
  return passkeys + accounts > 0;
}
