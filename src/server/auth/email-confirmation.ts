// Confirming an email address proves the mailbox, not who chose the account's password. So the link from a
// confirmation mail opens /verify-email, where the person confirms with the password chosen at sign-up, or chooses a
// new one, or goes on without a password to create a passkey on that device: the last two replace every credential,
// passkey, second factor and session the account had before its address was proven, so a stranger who signed up first
// with someone else's address keeps nothing once the owner confirms it (docs/decisions/014-confirming-an-address.md). Better Auth's GET /verify-email, which would confirm on a click and
// keep the earlier password, is disabled in src/server/auth/index.ts.
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthEndpoint, createEmailVerificationToken } from "better-auth/api";
import { setSessionCookie } from "better-auth/cookies";
import { revokeUnprovenAccountAccess } from "better-auth/db";
import { decodeJwt, jwtVerify } from "jose";
import { JWTExpired } from "jose/errors";
import * as z from "zod";
import { env } from "@/env";
import { PASSWORD_MAX_LENGTH } from "@/lib/password-limits";
import { refuseWeakPassword } from "@/server/auth/password-policy";

/** How long a confirmation link works. */
export const CONFIRMATION_LINK_LIFETIME_SECONDS = 24 * 60 * 60;

/**
 * The page a confirmation mail links to, carrying a signed token bound to the account. `passkey`: the account was
 * made to sign in with a passkey (passkey-sign-up.ts), so the page offers that first.
 */
export async function confirmationLink(
  user: { id: string; email: string },
  { passkey = false }: { passkey?: boolean } = {},
): Promise<string> {
  const token = await createEmailVerificationToken(
    env.BETTER_AUTH_SECRET,
    user.email,
    undefined,
    CONFIRMATION_LINK_LIFETIME_SECONDS,
    passkey ? { userId: user.id, passkey: true } : { userId: user.id },
  );
  return `${env.BETTER_AUTH_URL}/verify-email?token=${encodeURIComponent(token)}`;
}

/**
 * Whether a confirmation link was made for a passkey sign-up, read without checking it: it only chooses what the page
 * offers first; /confirm-email checks the token whatever is chosen.
 */
export function confirmationOffersPasskey(token: string): boolean {
  try {
    return decodeJwt(token).passkey === true;
  } catch {
    return false;
  }
}

/** Emails listed in ADMIN_EMAILS are admins once their address is confirmed, never before. */
export function roleForAddress(email: string, confirmed: boolean): "admin" | "user" {
  return confirmed && env.ADMIN_EMAILS.includes(email.toLowerCase()) ? "admin" : "user";
}

// A change-of-address token (with `updateTo`) is not a sign-up confirmation.
const tokenPayload = z.object({
  email: z.string(),
  userId: z.string(),
  passkey: z.boolean().optional(),
  updateTo: z.never().optional(),
});

const refuse = (code: string, message: string) => new APIError("BAD_REQUEST", { code, message });

const confirmBody = z
  .object({
    token: z.string().max(2_000),
    // One of three: the password chosen at sign-up, a new one that replaces it, or none (a passkey comes next).
    password: z.string().max(PASSWORD_MAX_LENGTH).optional(),
    newPassword: z.string().max(PASSWORD_MAX_LENGTH).optional(),
    passkey: z.literal(true).optional(),
  })
  .strict();

type EndpointContext = Parameters<typeof revokeUnprovenAccountAccess>[0];

/**
 * Everything that let anyone into the account before its address was proven goes: password and other account
 * links, sessions (Better Auth's revokeUnprovenAccountAccess), and the passkeys and second factor set up meanwhile
 * (possible where addresses need no confirmation to sign in), which Better Auth's helper does not know.
 */
async function removeUnprovenAccess(ctx: EndpointContext, userId: string): Promise<void> {
  await revokeUnprovenAccountAccess(ctx, userId);
  const byUser = [{ field: "userId", value: userId }];
  await ctx.context.adapter.deleteMany({ model: "passkey", where: byUser });
  await ctx.context.adapter.deleteMany({ model: "twoFactor", where: byUser });
  await ctx.context.internalAdapter.updateUser(userId, { twoFactorEnabled: false });
}

export function emailConfirmation() {
  return {
    id: "email-confirmation",
    endpoints: {
      confirmEmail: createAuthEndpoint("/confirm-email", { method: "POST", body: confirmBody }, async (ctx) => {
        const { token, password, newPassword, passkey } = ctx.body;
        if ([password, newPassword, passkey].filter((given) => given !== undefined).length !== 1) {
          throw refuse("PASSWORD_REQUIRED", "Enter the password you chose, or choose a new one.");
        }
        let payload: z.infer<typeof tokenPayload>;
        try {
          const verified = await jwtVerify(token, new TextEncoder().encode(ctx.context.secret), {
            algorithms: ["HS256"],
          });
          payload = tokenPayload.parse(verified.payload);
        } catch (error) {
          if (error instanceof JWTExpired) throw refuse("TOKEN_EXPIRED", "This confirmation link has expired.");
          throw refuse("INVALID_TOKEN", "This confirmation link is not valid.");
        }
        const found = await ctx.context.internalAdapter.findUserByEmail(payload.email, { includeAccounts: true });
        if (!found || found.user.id !== payload.userId) {
          throw refuse("INVALID_TOKEN", "This confirmation link is not valid.");
        }
        // Once confirmed, the link has done its work: it is no password reset.
        if (found.user.emailVerified) {
          throw refuse("ALREADY_CONFIRMED", "This email address is already confirmed. Sign in instead.");
        }
        const { user } = found;

        if (passkey) {
          // The owner signs in with the passkey the page creates next (the session below is fresh enough to add it).
          await removeUnprovenAccess(ctx, user.id);
        } else if (newPassword !== undefined) {
          await refuseWeakPassword(newPassword, [user.name, user.email]);
          // Every account link and session made before the address was proven goes; the owner's password replaces them.
          await removeUnprovenAccess(ctx, user.id);
          await ctx.context.internalAdapter.linkAccount({
            userId: user.id,
            providerId: "credential",
            accountId: user.id,
            password: await ctx.context.password.hash(newPassword),
          });
        } else {
          const credential = found.accounts.find((account) => account.providerId === "credential");
          const valid =
            credential?.password != null &&
            (await ctx.context.password.verify({ hash: credential.password, password: password ?? "" }));
          if (!valid) {
            throw new APIError("UNAUTHORIZED", {
              code: "INVALID_PASSWORD",
              message: "That is not the password of this account. Choose a new one if you do not know it.",
            });
          }
        }

        // An admin may have set a role meanwhile: ADMIN_EMAILS only ever raises it.
        const promotion = roleForAddress(user.email, true) === "admin" ? { role: "admin" } : {};
        const confirmed = await ctx.context.internalAdapter.updateUser(user.id, { emailVerified: true, ...promotion });
        await ctx.context.options.emailVerification?.afterEmailVerification?.(confirmed, ctx.request);
        const session = await ctx.context.internalAdapter.createSession(user.id);
        await setSessionCookie(ctx, { session, user: confirmed });
        return ctx.json({ status: true, passwordReplaced: newPassword !== undefined });
      }),
    },
  } satisfies BetterAuthPlugin;
}
