// User inputs: one definition shared by the user router and the account and admin forms.
import { z } from "zod";
import { pageInput } from "@/lib/validation/task";
import { isOneLine, ONE_LINE_MESSAGE } from "@/lib/validation/one-line";
import { storableDate, storableText } from "@/lib/validation/storable";

export const USER_ROLES = ["user", "admin"] as const;

/** A name is shown as one line (in mails, on pages), so it is stored as one. */
export const userName = storableText()
  .trim()
  .refine(isOneLine, ONE_LINE_MESSAGE)
  .min(1, "Name is required")
  .max(100, "Name is at most 100 characters");
export const userId = storableText().min(1).max(64);

export const updateProfileInput = z.strictObject({ name: userName });

/** `banned`: true lists banned users only, false those not banned. */
export const userListInput = z
  .strictObject({ ...pageInput, search: storableText().trim().max(200).optional(), banned: z.boolean().optional() })
  .default({ limit: 20 });

export const setRoleInput = z.strictObject({ userId, role: z.enum(USER_ROLES) });

export const banInput = z.strictObject({
  userId,
  reason: storableText().trim().min(1).max(500).optional(),
  expiresAt: storableDate()
    .refine((date) => date.getTime() > Date.now(), "The ban must end in the future")
    .optional(),
});

export const unbanInput = z.strictObject({ userId });

export const resetSecondFactorInput = z.strictObject({ userId });

export const authEventsInput = z.strictObject({ ...pageInput }).default({ limit: 20 });

export const authEventsOfInput = z.strictObject({ ...pageInput, userId });
