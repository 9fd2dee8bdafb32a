// Better Auth's browser client, for the account flows only (sign-up, sign-in, verification, passwords,
// sign-out). Import it from the components of those flows, so other pages do not ship it.
import { passkeyClient } from "@better-auth/passkey/client";
import type { BetterAuthClientPlugin } from "better-auth/client";
import {
  deviceAuthorizationClient,
  magicLinkClient,
  organizationClient,
  twoFactorClient,
} from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";
import type { emailConfirmation } from "@/server/auth/email-confirmation";
import type { freshSessions } from "@/server/auth/fresh-session";
import type { passkeySignUp } from "@/server/auth/passkey-sign-up";
import { accessControl, orgRoles } from "@/lib/permissions";

const emailConfirmationClient = {
  id: "email-confirmation",
  $InferServerPlugin: {} as ReturnType<typeof emailConfirmation>,
} satisfies BetterAuthClientPlugin;

const freshSessionsClient = {
  id: "fresh-sessions",
  $InferServerPlugin: {} as ReturnType<typeof freshSessions>,
} satisfies BetterAuthClientPlugin;

const passkeySignUpClient = {
  id: "passkey-sign-up",
  $InferServerPlugin: {} as ReturnType<typeof passkeySignUp>,
} satisfies BetterAuthClientPlugin;

// A sign-in that stops at the second factor answers `twoFactorRedirect`; the sign-in form goes on from there itself.
export const authClient = createAuthClient({
  plugins: [
    emailConfirmationClient,
    freshSessionsClient,
    passkeySignUpClient,
    twoFactorClient(),
    magicLinkClient(),
    passkeyClient(),
    // Approving the command line's sign-in at /device.
    deviceAuthorizationClient(),
    // Organizations, with the one permission table (src/lib/permissions.ts).
    organizationClient({ ac: accessControl, roles: orgRoles }),
  ],
});

/** The message of a failed Better Auth call, in words a person can act on. */
export function authErrorMessage(error: { status: number; message?: string; error_description?: string }): string {
  if (error.status === 429) return "Too many attempts. Wait a few minutes, then try again.";
  // Device authorization answers as OAuth does (error, error_description).
  return error.message || error.error_description || "Something went wrong. Please try again.";
}
