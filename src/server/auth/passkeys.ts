// Passkeys (WebAuthn) with @better-auth/passkey, and the rules this app holds them to (docs/decisions/026-passkeys.md):
// - the relying party is BETTER_AUTH_URL: its hostname is the rp id, its origin the only origin accepted;
// - adding one needs a signed-in, fresh session (FRESH_SESSION_ENDPOINTS holds both registration endpoints: Better
//   Auth's own check reads the sign-in time only, so it is switched off and ours, which also counts a
//   re-authentication, stands instead);
// - a passkey sign-in is already two factors (the device, and its PIN or biometrics): the second-factor step does not
//   stop it (second-factor.ts) and its session records secondFactor "passkey", which admin procedures accept;
// - the signature counter is checked by the library (@simplewebauthn/server refuses an assertion whose counter did not
//   grow, which a cloned authenticator sends) and stored after each sign-in, with the time it was used;
// - adding and removing are audited and mailed to the owner; the last way to sign in cannot be removed;
// - a name is one line of at most 100 characters, whichever client sends it;
// - a passkey sign-in on a signed-in device is how "confirm it is you" takes a passkey: the device's session is replaced
//   by the new, fresh one (as after any new sign-in), and a passkey of another account is refused before it is checked,
//   so a prompt for one person can never leave the device signed in as another.
import { passkey } from "@better-auth/passkey";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { isOneLine } from "@/lib/validation/one-line";
import { recordAuthEvent } from "@/server/audit";
import { PASSKEY_SIGN_IN_PATH } from "@/server/auth/audit-hooks";
import { signedInSession } from "@/server/auth/request-user";
import { hasOtherWayToSignIn } from "@/server/auth/sign-in-ways";
import type { SecondFactor } from "@/server/auth/second-factor";
import type { Database } from "@/server/db";
import { type Mail, messages } from "@/server/email/messages";

/** The endpoints that add a passkey: both need a fresh session (fresh-session.ts). */
export const PASSKEY_REGISTRATION_PATHS = ["/passkey/generate-register-options", "/passkey/verify-registration"];
const REGISTERED_PATH = "/passkey/verify-registration";
const DELETE_PATH = "/passkey/delete-passkey";
const RENAME_PATH = "/passkey/update-passkey";
const PASSKEY_NAME_MAX_LENGTH = 100;
export const PASSKEY_OF_ANOTHER_ACCOUNT = "PASSKEY_OF_ANOTHER_ACCOUNT";
const PASSKEY_FACTOR: SecondFactor = "passkey";
/** What a passkey without a name is called in notices. */
const UNNAMED = "Passkey";

export const LAST_SIGN_IN_METHOD = "LAST_SIGN_IN_METHOD";
const LAST_SIGN_IN_METHOD_MESSAGE =
  "This passkey is the only way left to sign in to your account. Set a password or add another passkey first.";

/** `userId`'s passkeys for settings, oldest first (with the time each last signed in, which Better Auth does not keep). */
export function passkeysOf(db: Database, userId: string) {
  return db.passkey.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, createdAt: true, lastUsedAt: true, deviceType: true },
  });
}

export type PasskeyDependencies = {
  db: Database;
  baseUrl: string;
  queueMail: (mail: Mail) => Promise<unknown>;
};

export function passkeyPlugins({ db, baseUrl, queueMail }: PasskeyDependencies): BetterAuthPlugin[] {
  const relyingParty = new URL(baseUrl);
  // The name of a passkey being removed, read before the endpoint deletes it.
  const removing = new WeakMap<object, string>();
  // The session of a device that signs in again with a passkey ("confirm it is you"), replaced once that succeeded.
  const replacing = new WeakMap<object, { token: string; userId: string }>();

  const rules: BetterAuthPlugin = {
    id: "passkey-rules",
    hooks: {
      before: [
        {
          matcher: (ctx) => PASSKEY_REGISTRATION_PATHS.includes(ctx.path ?? ""),
          handler: createAuthMiddleware(async (ctx) => {
            if (!(await signedInSession(ctx))) throw new APIError("UNAUTHORIZED", { code: "UNAUTHORIZED" });
          }),
        },
        {
          matcher: (ctx) => ctx.path === REGISTERED_PATH || ctx.path === RENAME_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const name: unknown = (ctx.body as { name?: unknown } | undefined)?.name;
            if (typeof name === "string" && (name.length > PASSKEY_NAME_MAX_LENGTH || !isOneLine(name))) {
              throw new APIError("BAD_REQUEST", {
                code: "VALIDATION_ERROR",
                message: `[body.name] A passkey's name is one line of at most ${PASSKEY_NAME_MAX_LENGTH} characters`,
              });
            }
          }),
        },
        {
          matcher: (ctx) => ctx.path === PASSKEY_SIGN_IN_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const signedIn = await signedInSession(ctx);
            if (!signedIn) return;
            const credentialId: unknown = (ctx.body as { response?: { id?: unknown } } | undefined)?.response?.id;
            const owner =
              typeof credentialId === "string"
                ? await db.passkey.findUnique({ where: { credentialID: credentialId }, select: { userId: true } })
                : null;
            if (owner && owner.userId !== signedIn.user.id) {
              throw new APIError("FORBIDDEN", {
                code: PASSKEY_OF_ANOTHER_ACCOUNT,
                message: "This passkey belongs to another account. Use one of yours.",
              });
            }
            replacing.set(ctx.context, { token: signedIn.session.token, userId: signedIn.user.id });
          }),
        },
        {
          matcher: (ctx) => ctx.path === DELETE_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const id: unknown = (ctx.body as { id?: unknown } | undefined)?.id;
            const signedIn = await signedInSession(ctx);
            if (typeof id !== "string" || !signedIn) return; // the endpoint refuses it itself
            const userId = signedIn.user.id;
            const found = await db.passkey.findFirst({ where: { id, userId }, select: { name: true } });
            if (!found) return; // someone else's, or gone: the endpoint answers
            if (!(await hasOtherWayToSignIn(db, userId, { passkeyId: id }))) {
              throw new APIError("BAD_REQUEST", { code: LAST_SIGN_IN_METHOD, message: LAST_SIGN_IN_METHOD_MESSAGE });
            }
            removing.set(ctx.context, found.name ?? UNNAMED);
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => ctx.path === REGISTERED_PATH || ctx.path === DELETE_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const user = (await signedInSession(ctx))?.user;
            const removed = removing.get(ctx.context);
            removing.delete(ctx.context);
            if (!user || isAPIError(ctx.context.returned)) return;
            if (ctx.path === DELETE_PATH) {
              if (removed === undefined) return;
              await recordAuthEvent(db, { type: "passkey-removed", userId: user.id, headers: ctx.headers });
              await queueMail(messages.passkeyRemoved(user.email, user.name, removed));
              return;
            }
            const added = ctx.context.returned as { name?: string | null } | undefined;
            await recordAuthEvent(db, { type: "passkey-added", userId: user.id, headers: ctx.headers });
            await queueMail(messages.passkeyAdded(user.email, user.name, added?.name || UNNAMED));
          }),
        },
        {
          matcher: (ctx) => ctx.path === PASSKEY_SIGN_IN_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const made = ctx.context.newSession;
            const replaced = replacing.get(ctx.context);
            replacing.delete(ctx.context);
            const credentialId: unknown = (ctx.body as { response?: { id?: unknown } } | undefined)?.response?.id;
            if (!made || isAPIError(ctx.context.returned) || typeof credentialId !== "string") return;
            await ctx.context.internalAdapter.updateSession(made.session.token, { secondFactor: PASSKEY_FACTOR });
            await db.passkey.update({ where: { credentialID: credentialId }, data: { lastUsedAt: new Date() } });
            if (replaced?.userId === made.user.id) await ctx.context.internalAdapter.deleteSession(replaced.token);
          }),
        },
      ],
    },
  };

  return [
    passkey({
      rpID: relyingParty.hostname,
      rpName: "Taskforge",
      origin: relyingParty.origin,
      // Ours is the fresh-session check (see above); a session is still required by the hook above.
      registration: { requireSession: false },
    }),
    rules,
  ];
}
