// Account form inputs (sign-in, email-only forms). New passwords are checked in ./new-password.ts, which
// carries the strength dictionaries: forms that do not set a password stay small.
import { z } from "zod";

export const emailAddress = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Email is required")
  .max(254, "Email is at most 254 characters")
  .pipe(z.email("Enter a valid email address"));

export const signInInput = z.object({
  email: emailAddress,
  password: z.string().min(1, "Enter your password"),
  rememberMe: z.boolean(),
});

export const emailOnlyInput = z.object({ email: emailAddress });
