// Forms that set a password: the same length and zxcvbn rule as the server, with the user's own details as context.
// The rule comes in as `check` (see password-strength-loader.ts), so a form ships zxcvbn only once it is needed.
import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/password-limits";
import type { PasswordChecker } from "@/lib/password-strength-loader";
import { emailAddress } from "@/lib/validation/account";
import { userName } from "@/lib/validation/user";

const newPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters`);

/** Adds the strength rule on `field`, with what else the user typed (name, email) as context. */
function strongPassword<T extends Record<string, unknown>>(
  check: PasswordChecker,
  field: keyof T & string,
  context: (values: T) => string[],
) {
  return (values: T, ctx: z.RefinementCtx) => {
    const strength = check(String(values[field] ?? ""), context(values));
    if (!strength.acceptable) ctx.addIssue({ code: "custom", path: [field], message: strength.warning ?? "Too weak" });
  };
}

function sameAs(field: string) {
  return (values: Record<string, unknown>) => values.confirmPassword === values[field];
}
const mismatch = { message: "The passwords do not match", path: ["confirmPassword"] };

/** A change must change the password: the server refuses the current one as the new one with this message too. */
export const SAME_PASSWORD_MESSAGE = "The new password must differ from your current one";

export function signUpInput(check: PasswordChecker) {
  return z
    .object({ name: userName, email: emailAddress, password: newPassword })
    .superRefine(strongPassword(check, "password", (values) => [values.name, values.email]));
}

export function resetPasswordInput(check: PasswordChecker) {
  return z
    .object({ password: newPassword, confirmPassword: z.string() })
    .refine(sameAs("password"), mismatch)
    .superRefine(strongPassword(check, "password", () => []));
}

/** `account` is the signed-in user's name and email, which a new password must not be built from. */
export function changePasswordInput(check: PasswordChecker, account: string[]) {
  return z
    .object({
      currentPassword: z.string().min(1, "Enter your current password"),
      newPassword,
      confirmPassword: z.string(),
    })
    .refine(sameAs("newPassword"), mismatch)
    .refine((values) => values.newPassword !== values.currentPassword, {
      message: SAME_PASSWORD_MESSAGE,
      path: ["newPassword"],
    })
    .superRefine(strongPassword(check, "newPassword", () => account));
}
