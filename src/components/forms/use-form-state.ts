"use client";
// The state every form shares: field errors, one form-level message, and whether a request runs.
import { useEffect, useRef, useState } from "react";
import type { FieldErrors } from "@/components/forms/form-validation";

export type FormMessage = { tone: "error" | "success" | "info"; text: string } | null;

export function useFormState() {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<FormMessage>(null);
  const [pending, setPending] = useState(false);
  const focusRequest = useRef<{ form: HTMLFormElement; fallback?: string } | null>(null);

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
    setErrors(fieldErrors);
    focusWhenIdle(form);
  }

  return { errors, setErrors, showErrors, focusWhenIdle, message, setMessage, pending, run };
}
