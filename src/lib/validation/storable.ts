// Values as the database stores them and gives them back. A value it would refuse (and fail the query) or silently
// change is refused here instead, with the field's other errors.
import { z } from "zod";

/**
 * Text without the NUL character (PostgreSQL refuses U+0000 in any text value) and without an unpaired surrogate
 * (not Unicode: it would be stored as U+FFFD, so the text saved would not be the text sent).
 */
export function storableText() {
  return z.string().superRefine((value, ctx) => {
    const problem = unstorableTextProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/** Why the database cannot store `value` as it is (see storableText), or null when it can. */
export function unstorableTextProblem(value: string): string | null {
  if (value.includes("\u0000")) return "Remove the NUL character (U+0000)";
  if (/\p{Surrogate}/u.test(value)) return "Contains an unpaired surrogate, which is not valid Unicode";
  return null;
}

export const EARLIEST_DATE = new Date("0001-01-01T00:00:00.000Z");
export const LATEST_DATE = new Date("9999-12-31T23:59:59.999Z");

/** Dates in years 1 to 9999: JavaScript's range is far wider, and PostgreSQL has no year 0. */
export function storableDate() {
  return z.date().min(EARLIEST_DATE, "Dates start in year 1").max(LATEST_DATE, "Dates end in year 9999");
}
