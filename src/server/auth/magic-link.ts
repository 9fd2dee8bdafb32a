// Sign-in by a mailed link: Better Auth's magicLink plugin, held to this app's rules (docs/decisions/025-magic-links.md):
// - the mail links to our page /sign-in/email-link, which spends the token only when the person presses "Sign in"
//   (a mail scanner that opens the link spends nothing); Better Auth's own verify URL is never mailed;
// - one use, 10 minutes, stored hashed; only existing accounts get a mail (no sign-up by link), and the answer to the
//   request is the same, in body and time, whether the address has an account: the mail is queued after the answer;
// - a link sent to an unconfirmed address confirms it, and removes every credential and session made before
//   (Better Auth's revokeUnprovenAccountAccess), as the confirmation page does (decision 014); ADMIN_EMAILS then apply;
// - an account with a second factor stops at it (second-factor.ts holds every first factor to it).
import { createHash } from "node:crypto";
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware, isAPIError } from "better-auth/api";
import { magicLink } from "better-auth/plugins/magic-link";
import { recordAuthEvent } from "@/server/audit";
import { roleForAddress } from "@/server/auth/email-confirmation";
import { runInBackground } from "@/server/background-tasks";
import type { Database } from "@/server/db";
import { type Mail, messages } from "@/server/email/messages";

export const MAGIC_LINK_LIFETIME_SECONDS = 10 * 60;
export const MAGIC_LINK_REQUEST_PATH = "/sign-in/magic-link";
export const MAGIC_LINK_VERIFY_PATH = "/magic-link/verify";

export type MagicLinkDependencies = {
  db: Database;
  baseUrl: string;
  queueMail: (mail: Mail) => Promise<unknown>;
};

/** The page a sign-in link opens; it spends the token only when asked to. */
export const magicLinkPage = (baseUrl: string, token: string) =>
  `${baseUrl}/sign-in/email-link?token=${encodeURIComponent(token)}`;

/** The address a stored link is for (Better Auth keeps it as JSON). */
function linkEmail(value: string): string | undefined {
  try {
    const email: unknown = (JSON.parse(value) as { email?: unknown }).email;
    return typeof email === "string" ? email : undefined;
  } catch {
    return undefined;
  }
}

export function magicLinkPlugins({ db, baseUrl, queueMail }: MagicLinkDependencies): BetterAuthPlugin[] {
  async function mailLink(email: string, token: string) {
    const user = await db.user.findUnique({
      where: { email: email.toLowerCase() },
      select: { email: true, name: true, banned: true },
    });
    // No account (or a banned one): no mail, and the answer said nothing different.
    if (!user || user.banned) return;
    await queueMail(messages.magicLink(user.email, user.name, magicLinkPage(baseUrl, token)));
  }

  // Whether the account a link signs in had its address confirmed before, read before the link is spent.
  const unconfirmed = new WeakMap<object, string>();

  const confirmation: BetterAuthPlugin = {
    id: "magic-link-confirmation",
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === MAGIC_LINK_VERIFY_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const token: unknown = (ctx.query as { token?: unknown } | undefined)?.token;
            if (typeof token !== "string") return;
            // Stored as Better Auth's "hashed" option stores it: SHA-256, base64url.
            const stored = createHash("sha256").update(token).digest("base64url");
            const link = await ctx.context.internalAdapter.findVerificationValue(`magic-link:${stored}`);
            const email = link ? linkEmail(link.value) : undefined;
            if (!email) return;
            const user = await db.user.findUnique({ where: { email: email.toLowerCase() } });
            if (user && !user.emailVerified) unconfirmed.set(ctx.context, user.id);
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => ctx.path === MAGIC_LINK_VERIFY_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const userId = unconfirmed.get(ctx.context);
            unconfirmed.delete(ctx.context);
            if (!userId || isAPIError(ctx.context.returned)) return;
            const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, role: true } });
            if (!user) return;
            // The link proved the address: ADMIN_EMAILS only ever raise the role, as at confirmation.
            if (roleForAddress(user.email, true) === "admin" && user.role !== "admin") {
              await db.user.update({ where: { id: userId }, data: { role: "admin" } });
            }
            await recordAuthEvent(db, {
              type: "email-verified",
              userId,
              headers: ctx.headers,
              detail: { method: "magic-link" },
            });
          }),
        },
      ],
    },
  };

  return [
    magicLink({
      expiresIn: MAGIC_LINK_LIFETIME_SECONDS,
      disableSignUp: true,
      storeToken: "hashed",
      // Queued after the answer: its time says nothing about whether the address has an account.
      sendMagicLink: ({ email, token }) => runInBackground(mailLink(email, token)),
    }),
    confirmation,
  ];
}
