"use client";
// The state every account form shares: field errors, one form-level message, and whether a request runs.
import { useState } from "react";
import type { FieldErrors } from "@/components/ui/form-validation";

export type FormMessage = { tone: "error" | "success" | "info"; text: string } | null;

export function useFormState() {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<FormMessage>(null);
  const [pending, setPending] = useState(false);

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

  /** Shows field errors and moves focus to the first invalid field, so keyboard users land on it. */
  function showErrors(form: HTMLFormElement, fieldErrors: FieldErrors) {
    setErrors(fieldErrors);
    requestAnimationFrame(() => form.querySelector<HTMLElement>("[aria-invalid='true']")?.focus());
  }

  return { errors, setErrors, showErrors, message, setMessage, pending, run };
}
