"use client";
// Sensitive actions (changing the password, the second factor, deleting the account, admin changes) need a recent
// sign-in; the server refuses an older session with FRESH_SESSION_REQUIRED. `useFreshSession` runs such an action,
// and when the server asks, shows "Confirm it is you" (password, then a code when the account has a second factor),
// then runs the action once more. The session stays the same: no new cookie, no other tab signed out.
import { TRPCClientError } from "@trpc/client";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { usePasskeysAvailable } from "@/components/auth/passkeys-available";
import { sendSecondFactorCode } from "@/components/auth/second-factor-code";
import { Button } from "@/components/ui/button";
import { FormMessageNotice } from "@/components/forms/form-message";
import { SubmitOrCancel } from "@/components/forms/submit-or-cancel";
import { useFormState } from "@/components/forms/use-form-state";
import { TextField } from "@/components/ui/field";
import { PasswordField } from "@/components/ui/password-field";
import { FRESH_SESSION_REQUIRED } from "@/lib/auth-requirements";
import { SECOND_FACTOR_CODE_HINT } from "@/lib/second-factor-code";

/** Thrown by an action whose Better Auth call answered FRESH_SESSION_REQUIRED (tRPC's errors carry it themselves). */
export class FreshSessionRequired extends Error {
  constructor() {
    super(FRESH_SESSION_REQUIRED);
  }
}

/** The user closed the prompt: the action did not run. */
export class ReauthenticationCancelled extends Error {
  constructor() {
    super("Cancelled: nothing was changed.");
  }
}

export function needsFreshSession(error: unknown): boolean {
  if (error instanceof FreshSessionRequired) return true;
  return (
    error instanceof TRPCClientError &&
    (error.data as { reason?: unknown } | undefined)?.reason === FRESH_SESSION_REQUIRED
  );
}

/** For a Better Auth call: its answer, or FreshSessionRequired when the server asked for a recent sign-in. */
export async function orFreshSessionRequired<T extends { error: { code?: string } | null }>(call: Promise<T>) {
  const answer = await call;
  if (answer.error?.code === FRESH_SESSION_REQUIRED) throw new FreshSessionRequired();
  return answer;
}

export function useFreshSession() {
  const [asking, setAsking] = useState<((confirmed: boolean) => void) | null>(null);

  async function withFreshSession<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (!needsFreshSession(error)) throw error;
      const confirmed = await new Promise<boolean>((resolve) => setAsking(() => resolve));
      if (!confirmed) throw new ReauthenticationCancelled();
      return action();
    }
  }

  const prompt = asking ? (
    <ReauthenticationDialog
      onDone={(confirmed) => {
        setAsking(null);
        asking(confirmed);
      }}
    />
  ) : null;
  return { withFreshSession, prompt };
}

function ReauthenticationDialog({ onDone }: { onDone: (confirmed: boolean) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [step, setStep] = useState<"password" | "code">("password");
  const form = useFormState();
  const passkeysAvailable = usePasskeysAvailable();

  function confirmWithPasskey() {
    void form.run(async () => {
      const { authClient } = await import("@/lib/auth-client");
      const answer = await authClient.signIn.passkey();
      if (!answer?.error) return onDone(true);
      form.setMessage({
        tone: "error",
        text:
          answer.error.status === 403 && answer.error.message
            ? answer.error.message
            : "No passkey confirmed it. Try again, or enter your password.",
      });
    });
  }

  useEffect(() => {
    // Modal: focus moves in and stays until it closes; Escape closes it (the `cancel` event).
    dialog.current?.showModal();
  }, []);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const data = new FormData(target);
    void form.run(async () => {
      if (step === "code") {
        const result = await sendSecondFactorCode(String(data.get("code") ?? ""));
        if (result.ok) return onDone(true);
        return form.showErrors(target, { code: result.message });
      }
      const password = String(data.get("password") ?? "");
      if (!password) return form.showErrors(target, { password: "Enter your password." });
      const { authClient, authErrorMessage } = await import("@/lib/auth-client");
      const { data: answer, error } = await authClient.reauthenticate({ password });
      if (error) {
        return form.showErrors(target, {
          password: error.code === "INVALID_PASSWORD" ? "That is not your password." : authErrorMessage(error),
        });
      }
      if (answer?.secondFactorRequired) {
        form.setErrors({});
        return setStep("code");
      }
      onDone(true);
    });
  }

  return (
    <dialog
      ref={dialog}
      aria-labelledby="reauthenticate-title"
      onCancel={() => onDone(false)}
      className="m-auto w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-950/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <h2 id="reauthenticate-title" className="text-lg font-semibold">
        Confirm it is you
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        {step === "password"
          ? passkeysAvailable
            ? "You signed in a while ago. Use a passkey, or enter your password, to continue."
            : "You signed in a while ago. Enter your password to continue."
          : "Now the code from your authenticator app."}
      </p>
      <form noValidate onSubmit={onSubmit} className="mt-4 space-y-4">
        <FormMessageNotice message={form.message} />
        {step === "password" && passkeysAvailable && (
          <Button variant="secondary" className="w-full" disabled={form.pending} onClick={confirmWithPasskey}>
            Use a passkey
          </Button>
        )}
        {step === "password" ? (
          <PasswordField
            key="password"
            label="Password"
            name="password"
            autoComplete="current-password"
            autoFocus
            error={form.errors.password}
          />
        ) : (
          <TextField
            key="code"
            label="Code"
            name="code"
            autoComplete="one-time-code"
            autoFocus
            error={form.errors.code}
            hint={SECOND_FACTOR_CODE_HINT}
          />
        )}
        <SubmitOrCancel
          label="Continue"
          pendingLabel="Checking…"
          pending={form.pending}
          onCancel={() => onDone(false)}
        />
      </form>
    </dialog>
  );
}
