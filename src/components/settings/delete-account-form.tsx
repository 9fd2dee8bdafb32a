"use client";
// "Delete my account": a second, deliberate step where the password is entered again (account.delete); an account
// without a password confirms with a recent sign-in alone (the confirm-it-is-you prompt, with a passkey).
import { type FormEvent, type KeyboardEvent, useRef, useState } from "react";
import { ReauthenticationCancelled, useFreshSession } from "@/components/auth/reauthentication";
import { FormMessageNotice } from "@/components/forms/form-message";
import { SubmitOrCancel } from "@/components/forms/submit-or-cancel";
import { useFormState } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { serverFieldErrors, validate } from "@/components/forms/form-validation";
import { PasswordField } from "@/components/ui/password-field";
import { deleteAccountInput } from "@/lib/validation/account";
import { api, errorCode } from "@/trpc/react";

/** Where the browser goes once the account is gone; the landing page shows the matching notice. */
const AFTER_DELETION = "/?reason=account-deleted";

/** The form's input: the password field, which an account without a password does not show. */
const entered = (target: HTMLFormElement) => {
  const password = new FormData(target).get("password");
  return password === null ? {} : { password };
};

export function DeleteAccountForm({ withPassword }: { withPassword: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const form = useFormState((target) => validate(deleteAccountInput, entered(target)).errors);
  const deleteAccount = api.account.delete.useMutation();
  const { withFreshSession, prompt } = useFreshSession();
  const startButton = useRef<HTMLButtonElement>(null);

  function cancel() {
    if (form.pending) return;
    setConfirming(false);
    form.setErrors({});
    form.setMessage(null);
    // Keyboard users go back to where they started.
    requestAnimationFrame(() => startButton.current?.focus());
  }

  function cancelOnEscape(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === "Escape") cancel();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const checked = validate(deleteAccountInput, entered(target));
    if (!checked.data) return form.showErrors(target, checked.errors);
    form.setErrors({});
    void form.run(async () => {
      try {
        await withFreshSession(() => deleteAccount.mutateAsync(checked.data));
      } catch (error) {
        if (error instanceof ReauthenticationCancelled) return form.setMessage({ tone: "info", text: error.message });
        const code = errorCode(error);
        // No code: the server was not reached, which form.run reports.
        if (!code || !(error instanceof Error)) throw error;
        // A wrong password (BAD_REQUEST) and too many of them (TOO_MANY_REQUESTS) belong to the field.
        if (code === "BAD_REQUEST" || code === "TOO_MANY_REQUESTS") {
          return form.showErrors(target, { password: serverFieldErrors(error).password ?? error.message });
        }
        return form.setMessage({ tone: "error", text: `Your account was not deleted. ${error.message}` });
      }
      try {
        // The server has ended every session already; this clears the cookie as well. The auth client is
        // downloaded here, not with the settings page.
        const { authClient } = await import("@/lib/auth-client");
        await authClient.signOut();
      } finally {
        // A full load, so nothing of the deleted account stays in the page's memory.
        // eslint-disable-next-line @next/next/no-location-assign-relative-destination
        window.location.assign(AFTER_DELETION);
      }
    });
  }

  return (
    <div className="space-y-3">
      {prompt}
      <h3 className="font-medium text-red-700 dark:text-red-400">Delete my account</h3>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Deletes your profile, every task and every session, on all devices. This cannot be undone: download your data
        first if you want to keep a copy.
      </p>
      {confirming ? (
        <form
          noValidate
          onSubmit={onSubmit}
          onChange={form.onChange}
          onKeyDown={cancelOnEscape}
          aria-label="Confirm the deletion of your account"
          className="space-y-4 rounded-md border border-red-300 p-4 dark:border-red-800"
        >
          <FormMessageNotice message={form.message} />
          {withPassword ? (
            <PasswordField
              label="Your password"
              name="password"
              autoComplete="current-password"
              // Shown in answer to the press that asked for it, so focus follows.
              autoFocus
              error={form.errors.password}
              hint="Enter your password again to confirm that you want to delete your account."
            />
          ) : (
            <p className="text-sm">Your account has no password: if you signed in a while ago, we ask for a passkey.</p>
          )}
          <SubmitOrCancel
            label="Delete my account permanently"
            pendingLabel="Deleting…"
            variant="danger"
            pending={form.pending}
            onCancel={cancel}
          />
        </form>
      ) : (
        <Button ref={startButton} variant="danger" onClick={() => setConfirming(true)}>
          Delete my account…
        </Button>
      )}
    </div>
  );
}
