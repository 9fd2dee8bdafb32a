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

type ZodErrorData = { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> } | null | undefined;

function zodErrorOf(error: unknown): ZodErrorData {
  return (error as { data?: { zodError?: ZodErrorData } })?.data?.zodError;
}

/** The field errors the server sent back with BAD_REQUEST (zod's flattened shape). */
export function serverFieldErrors(error: unknown): FieldErrors {
  const fieldErrors = zodErrorOf(error)?.fieldErrors;
  return Object.fromEntries(Object.entries(fieldErrors ?? {}).map(([field, messages]) => [field, messages?.[0]]));
}

/** A failed call told in words: a refused input's messages (tRPC's own message is zod's raw JSON then), else the error's. */
export type Failure = { message: string; fieldErrors: FieldErrors };

export function describeFailure(error: { message: string }): Failure {
  const zodError = zodErrorOf(error);
  const fieldErrors = serverFieldErrors(error);
  if (!zodError) return { message: error.message, fieldErrors };
  const messages = [...(zodError.formErrors ?? []), ...Object.values(fieldErrors)].filter(Boolean);
  return { message: messages.join(" ") || "Some values were refused. Check them and try again.", fieldErrors };
}
