"use client";
// Asking for a new email address: it takes effect once confirmed from a link mailed to it. A session older than
// 10 minutes is asked for the password first (useFreshSession). The auth client loads when the form is used.
import type { FormEvent } from "react";
import { orFreshSessionRequired, ReauthenticationCancelled, useFreshSession } from "@/components/auth/reauthentication";
import { FormMessageNotice } from "@/components/forms/form-message";
import { validate } from "@/components/forms/form-validation";
import { useFormState } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { emailOnlyInput } from "@/lib/validation/account";

const checkEmail = (target: HTMLFormElement) =>
  validate(emailOnlyInput, { email: new FormData(target).get("newEmail") });

export function ChangeEmailForm({ email }: { email: string }) {
  const form = useFormState((target) => checkEmail(target).errors);
  const { withFreshSession, prompt } = useFreshSession();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const checked = checkEmail(target);
    if (!checked.data) return form.showErrors(target, { newEmail: checked.errors.email });
    const newEmail = checked.data.email.toLowerCase();
    if (newEmail === email.toLowerCase()) return form.showErrors(target, { newEmail: "This is already your address." });
    form.setErrors({});
    void form.run(async () => {
      const { authClient, authErrorMessage } = await import("@/lib/auth-client");
      let error;
      try {
        ({ error } = await withFreshSession(() => orFreshSessionRequired(authClient.changeEmail({ newEmail }))));
      } catch (failure) {
        if (failure instanceof ReauthenticationCancelled)
          return form.setMessage({ tone: "info", text: failure.message });
        throw failure;
      }
      if (error) return form.setMessage({ tone: "error", text: authErrorMessage(error) });
      target.reset();
      form.setMessage({
        tone: "success",
        text: `Open the link we sent to ${newEmail} to confirm it. Until then your address stays ${email}.`,
      });
    });
  }

  return (
    <>
      {prompt}
      <form noValidate onSubmit={onSubmit} onChange={form.onChange} className="space-y-4">
        <FormMessageNotice message={form.message} />
        <TextField
          label="New email address"
          name="newEmail"
          type="email"
          autoComplete="email"
          error={form.errors.newEmail}
        />
        <Button type="submit" pending={form.pending}>
          {form.pending ? "Sending…" : "Send a confirmation link"}
        </Button>
      </form>
    </>
  );
}
