// Runs a shared zod schema on form values and keeps the first message per field, ready for <Field error>.
import type { z } from "zod";

export type FieldErrors = Partial<Record<string, string>>;

export function validate<S extends z.ZodType>(
  schema: S,
  values: unknown,
): { data: z.output<S>; errors: null } | { data: null; errors: FieldErrors } {
  const result = schema.safeParse(values);
  if (result.success) return { data: result.data, errors: null };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return { data: null, errors };
}

/** The field errors the server sent back with BAD_REQUEST (zod's flattened shape). */
export function serverFieldErrors(error: unknown): FieldErrors {
  const fieldErrors = (error as { data?: { zodError?: { fieldErrors?: Record<string, string[] | undefined> } | null } })?.data
    ?.zodError?.fieldErrors;
  return Object.fromEntries(Object.entries(fieldErrors ?? {}).map(([field, messages]) => [field, messages?.[0]]));
}
