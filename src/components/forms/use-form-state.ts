"use client";
// The state every form shares: field errors, one form-level message, and whether a request runs. Given a `check`
// (the form's own validation, read from its fields), the form corrects as the user types after its first error.
import { type FormEvent, useEffect, useRef, useState } from "react";
import type { FieldErrors } from "@/components/forms/form-validation";

export type FormMessage = { tone: "error" | "success" | "info"; text: string } | null;

/** The form's validation of what its fields hold now: field errors, or null when everything passes. */
export type FormCheck = (form: HTMLFormElement) => FieldErrors | null;

/**
 * The errors to show after `changed` changed: the changed field gets the check's verdict, and so does every field
 * already showing an error (a repeated password is fixed by editing the first). An error the check did not give
 * (the server's, such as a wrong current password) stays on a field the user has not touched.
 */
export function recheckedErrors(
  shown: FieldErrors,
  changed: string,
  verdict: FieldErrors,
  previousVerdict: FieldErrors,
): FieldErrors {
  const next: FieldErrors = {};
  for (const field of new Set([...Object.keys(shown), changed])) {
    const message =
      field === changed || verdict[field] || previousVerdict[field] === shown[field] ? verdict[field] : shown[field];
    if (message) next[field] = message;
  }
  return next;
}

export function useFormState(check?: FormCheck) {
  const [errors, setErrorsState] = useState<FieldErrors>({});
  const [message, setMessage] = useState<FormMessage>(null);
  const [pending, setPending] = useState(false);
  const focusRequest = useRef<{ form: HTMLFormElement; fallback?: string } | null>(null);
  // Set by the first refused submit: from then on fields are checked as they change.
  const live = useRef(false);
  const lastVerdict = useRef<FieldErrors>({});

  // Fields may be disabled while a request runs; focus waits until they are enabled again.
  useEffect(() => {
    if (pending || !focusRequest.current) return;
    const { form, fallback } = focusRequest.current;
    focusRequest.current = null;
    (
      form.querySelector<HTMLElement>("[aria-invalid='true']") ??
      (fallback ? form.querySelector<HTMLElement>(fallback) : null)
    )?.focus();
  });

  /** Field errors; a success message never stands beside them. */
  function setErrors(fieldErrors: FieldErrors) {
    setErrorsState(fieldErrors);
    if (Object.values(fieldErrors).some(Boolean)) setMessage((shown) => (shown?.tone === "success" ? null : shown));
  }

  /** Clears old messages, runs `action` once at a time, and reports an unexpected failure. */
  async function run(action: () => Promise<void>) {
    if (pending) return;
    setMessage(null);
    setPending(true);
    try {
      await action();
    } catch {
      setMessage({ tone: "error", text: "We could not reach the server. Check your connection and try again." });
    } finally {
      setPending(false);
    }
  }

  /** Once the form is idle and rendered, focuses its first invalid field, or else the field `fallback` selects. */
  function focusWhenIdle(form: HTMLFormElement, fallback?: string) {
    focusRequest.current = { form, fallback };
  }

  /** Shows field errors and moves focus to the first invalid field, so keyboard users land on it. */
  function showErrors(form: HTMLFormElement, fieldErrors: FieldErrors) {
    live.current = true;
    lastVerdict.current = check?.(form) ?? {};
    setErrors(fieldErrors);
    focusWhenIdle(form);
  }

  /** The form's onChange: after the first error, checks the changed field (and those in error) again. */
  function onChange(event: FormEvent<HTMLFormElement>) {
    const changed = (event.target as { name?: unknown }).name;
    if (!live.current || !check || typeof changed !== "string" || !changed) return;
    const verdict = check(event.currentTarget) ?? {};
    const previousVerdict = lastVerdict.current;
    lastVerdict.current = verdict;
    setErrors(recheckedErrors(errors, changed, verdict, previousVerdict));
  }

  return { errors, setErrors, showErrors, focusWhenIdle, message, setMessage, pending, run, onChange };
}
