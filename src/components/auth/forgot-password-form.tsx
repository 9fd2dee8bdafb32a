"use client";
import type { FormEvent } from "react";
import { FormMessageNotice } from "@/components/forms/form-message";
import { useFormState } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { validate } from "@/components/forms/form-validation";
import { authClient, authErrorMessage } from "@/lib/auth-client";
import { emailOnlyInput } from "@/lib/validation/account";

const checkEmail = (target: HTMLFormElement) => validate(emailOnlyInput, { email: new FormData(target).get("email") });

export function ForgotPasswordForm() {
  const form = useFormState((target) => checkEmail(target).errors);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const checked = checkEmail(target);
    if (!checked.data) return form.showErrors(target, checked.errors);
    form.setErrors({});
    void form.run(async () => {
      const { error } = await authClient.requestPasswordReset({
        email: checked.data.email,
        redirectTo: "/reset-password",
      });
      form.setMessage(
        error
          ? { tone: "error", text: authErrorMessage(error) }
          : {
              tone: "success",
              text: "If an account uses that address, a reset link is on its way. It works once, within the next hour.",
            },
      );
    });
  }

  return (
    <form noValidate onSubmit={onSubmit} onChange={form.onChange} className="space-y-4">
      <FormMessageNotice message={form.message} />
      <TextField label="Email" name="email" type="email" autoComplete="email" error={form.errors.email} />
      <Button type="submit" className="w-full" pending={form.pending}>
        {form.pending ? "Sending…" : "Send the reset link"}
      </Button>
    </form>
  );
}
