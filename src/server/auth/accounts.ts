// Accounts made outside the sign-up form (the seed, test fixtures), through Better Auth's own adapter so they are the
// rows a sign-up would leave: a user, its credential account with an argon2id hash, the role set afterwards.
import { revokeUnprovenAccountAccess } from "better-auth/db";
import { auth } from "@/server/auth";
import { hashPassword } from "@/server/auth/password-hashing";
import { db } from "@/server/db";

type Role = "user" | "admin";

async function setPassword(userId: string, password: string): Promise<void> {
  await (
    await auth.$context
  ).internalAdapter.linkAccount({
    userId,
    providerId: "credential",
    accountId: userId,
    password: await hashPassword(password),
  });
}

/** A user whose address is confirmed, with `password` as its credential and `role`. */
export async function createConfirmedAccount(account: {
  email: string;
  name: string;
  password: string;
  role: Role;
}): Promise<{ id: string }> {
  const created = await (
    await auth.$context
  ).internalAdapter.createUser({ email: account.email, name: account.name, emailVerified: true }, { method: "admin" });
  await setPassword(created.id, account.password);
  await db.user.update({ where: { id: created.id }, data: { role: account.role } });
  return { id: created.id };
}

/**
 * Takes back an account whose address was never confirmed (it may have been made by anyone): every password,
 * provider link and session made before goes, the address counts as confirmed, `password` is its only credential.
 */
export async function reclaimUnconfirmedAccount(userId: string, password: string, role: Role): Promise<{ id: string }> {
  const context = await auth.$context;
  const user = await revokeUnprovenAccountAccess(
    // It reads only the context (the adapter) from the endpoint context it is usually given.
    { context } as Parameters<typeof revokeUnprovenAccountAccess>[0],
    userId,
  );
  if (!user) throw new Error(`account ${userId} disappeared while it was being reclaimed`);
  await setPassword(user.id, password);
  await db.user.update({ where: { id: user.id }, data: { role } });
  return { id: user.id };
}
