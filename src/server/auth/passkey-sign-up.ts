// A sign-up without a password, for people who will sign in with a passkey: POST /sign-up/passkey takes a name and an
// address and mails a confirmation link, exactly as a sign-up with a password does (same answer whether the address
// is new or taken; the owner of a taken one gets the mail a sign-up sends them). The link's page confirms the address
// and creates the passkey on that device (/confirm-email with `passkey: true`, email-confirmation.ts). Until then the
// account has no way in but its mailbox.
import type { BetterAuthPlugin } from "better-auth";
import { createAuthEndpoint } from "better-auth/api";
import { passkeySignUpInput } from "@/lib/validation/account";
import { runInBackground } from "@/server/background-tasks";
import { confirmationLink } from "@/server/auth/email-confirmation";
import { type Mail, messages } from "@/server/email/messages";

export const PASSKEY_SIGN_UP_PATH = "/sign-up/passkey";

export function passkeySignUp({ queueMail }: { queueMail: (mail: Mail) => Promise<unknown> }) {
  return {
    id: "passkey-sign-up",
    endpoints: {
      signUpPasskey: createAuthEndpoint(
        PASSKEY_SIGN_UP_PATH,
        { method: "POST", body: passkeySignUpInput },
        async (ctx) => {
          const { name, email } = ctx.body;
          const { internalAdapter, options } = ctx.context;
          const taken = async () => {
            const existing = await internalAdapter.findUserByEmail(email);
            if (existing) await options.emailAndPassword?.onExistingUserSignUp?.({ user: existing.user }, ctx.request);
            return existing !== null;
          };
          if (!(await taken())) {
            try {
              const user = await internalAdapter.createUser(
                { name, email, emailVerified: false },
                { method: "passkey" },
              );
              const link = await confirmationLink(user, { passkey: true });
              runInBackground(queueMail(messages.verifyEmail(user.email, user.name, link)));
            } catch (error) {
              // Two sign-ups with one address at once: the other one made the account, which is now a taken address.
              if (!(await taken())) throw error;
            }
          }
          return ctx.json({ status: true });
        },
      ),
    },
  } satisfies BetterAuthPlugin;
}
