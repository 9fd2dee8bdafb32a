// Account form inputs (sign-in, email-only forms, account deletion). New passwords are checked in
// ./new-password.ts with the strength rule (zxcvbn), which the browser downloads only where one is chosen.
import { z } from "zod";
import { PASSWORD_MAX_LENGTH } from "@/lib/password-limits";
import { userName } from "@/lib/validation/user";

/** RFC 5321's limit on an address; the server holds every endpoint to it (src/server/auth/email-length.ts). */
export const EMAIL_MAX_LENGTH = 254;

export const emailAddress = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Email is required")
  .max(EMAIL_MAX_LENGTH, `Email is at most ${EMAIL_MAX_LENGTH} characters`)
  .pipe(z.email("Enter a valid email address"));

/** The password the user already has, typed again (its rules are checked when it is set, not here). */
const currentPassword = z
  .string()
  .min(1, "Enter your password")
  .max(PASSWORD_MAX_LENGTH, `Passwords are at most ${PASSWORD_MAX_LENGTH} characters`);

export const signInInput = z.object({
  email: emailAddress,
  password: currentPassword,
  rememberMe: z.boolean(),
});

/** The password, when the account has one; an account without (passkeys only) confirms with a recent sign-in alone. */
export const deleteAccountInput = z.strictObject({ password: currentPassword.optional() });

export const emailOnlyInput = z.object({ email: emailAddress });

/** A sign-up without a password: the account signs in with a passkey made once the address is confirmed. */
export const passkeySignUpInput = z.strictObject({ name: userName, email: emailAddress });
