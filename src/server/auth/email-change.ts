// Changing the account's email address: Better Auth's change-email flow, held to this app's rules:
// - asking needs a fresh session (fresh-session.ts); an address that belongs to another account gets the same answer
//   as any other (Better Auth answers `status: true` and sends nothing), so the requester learns nothing;
// - the new address must be confirmed before it takes effect: the mail links to our page /change-email, which
//   confirms only when the person presses the button (a mail scanner that opens the link changes nothing);
// - Better Auth's GET /verify-email is open for that confirmation only: sign-up confirmations go through
//   /confirm-email, which asks who chose the password (email-confirmation.ts, decision 014);
// - once changed, the old address is told, with what to do if it was not the owner; sessions stay; audited.
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { decodeJwt, jwtVerify } from "jose";
import * as z from "zod";
import { recordAuthEvent } from "@/server/audit";
import type { Database } from "@/server/db";
import { type Mail, messages } from "@/server/email/messages";

export const CHANGE_EMAIL_PATH = "/change-email";
const VERIFY_PATH = "/verify-email";
const CHANGE_REQUEST_TYPE = "change-email-verification";

const changeToken = z.object({
  email: z.string(),
  updateTo: z.string(),
  userId: z.string(),
  requestType: z.literal(CHANGE_REQUEST_TYPE),
});

/** The page a change-of-address mail links to. */
export const emailChangePage = (baseUrl: string, token: string) =>
  `${baseUrl}/change-email?token=${encodeURIComponent(token)}`;

/** Whether a token Better Auth just made is a change of address (it is then mailed to the new address). */
export function isEmailChangeToken(token: string): boolean {
  try {
    return changeToken.safeParse(decodeJwt(token)).success;
  } catch {
    return false;
  }
}

/** "ada@example.com" → "a••@example.com": enough for the owner to recognise, not to read in full. */
export function maskedAddress(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "•••";
  return `${email[0]}${"•".repeat(Math.min(at - 1, 6) || 1)}${email.slice(at)}`;
}

export type EmailChangeDependencies = { db: Database; queueMail: (mail: Mail) => Promise<unknown> };

export function emailChange({ db, queueMail }: EmailChangeDependencies): BetterAuthPlugin {
  // A confirmation in flight: whose address changes, from what.
  const changes = new WeakMap<object, { userId: string; from: string; to: string }>();

  return {
    id: "email-change",
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === VERIFY_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const token: unknown = (ctx.query as { token?: unknown } | undefined)?.token;
            const payload = await verifiedChange(typeof token === "string" ? token : "", ctx.context.secret);
            // Anything but a change of address (a sign-up confirmation above all) is not served here.
            if (!payload) throw new APIError("NOT_FOUND");
            const user = await db.user.findUnique({ where: { id: payload.userId }, select: { email: true } });
            if (!user || user.email !== payload.email) {
              throw new APIError("BAD_REQUEST", { code: "INVALID_TOKEN", message: "This link is no longer valid." });
            }
            // Taken since it was asked for: the person holds the new mailbox, so saying so tells them nothing new.
            if (await db.user.findUnique({ where: { email: payload.updateTo }, select: { id: true } })) {
              throw new APIError("BAD_REQUEST", {
                code: "EMAIL_TAKEN",
                message: "This address now belongs to another account. Keep your current one, or choose another.",
              });
            }
            changes.set(ctx.context, { userId: payload.userId, from: payload.email, to: payload.updateTo });
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => ctx.path === CHANGE_EMAIL_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const userId = ctx.context.session?.user.id;
            if (!userId || isAPIError(ctx.context.returned)) return;
            // Whether a mail went out (a taken address gets none) is not recorded: the log is the user's to read.
            await recordAuthEvent(db, { type: "email-change-requested", userId, headers: ctx.headers });
          }),
        },
        {
          matcher: (ctx) => ctx.path === VERIFY_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const change = changes.get(ctx.context);
            changes.delete(ctx.context);
            if (!change || isAPIError(ctx.context.returned)) return;
            const user = await db.user.findUnique({ where: { id: change.userId }, select: { name: true } });
            await recordAuthEvent(db, { type: "email-changed", userId: change.userId, headers: ctx.headers });
            await queueMail(messages.emailChanged(change.from, user?.name ?? "", maskedAddress(change.to)));
          }),
        },
      ],
    },
  };
}

async function verifiedChange(token: string, secret: string) {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ["HS256"] });
    const parsed = changeToken.safeParse(payload);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
