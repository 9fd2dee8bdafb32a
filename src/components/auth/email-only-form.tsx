"use client";
// A form that asks for an email address and sends something to it (a reset link, a sign-in link). The answer is
// the same whether or not an account uses the address, and so is the message.
import type { FormEvent } from "react";
import { FormMessageNotice } from "@/components/forms/form-message";
import { useFormState } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { validate } from "@/components/forms/form-validation";
import { authErrorMessage } from "@/lib/auth-client";
import { emailOnlyInput } from "@/lib/validation/account";

const checkEmail = (target: HTMLFormElement) => validate(emailOnlyInput, { email: new FormData(target).get("email") });

type Props = {
  send: (email: string) => Promise<{ error: { status: number; message?: string } | null }>;
  sent: string;
  action: string;
};

export function EmailOnlyForm({ send, sent, action }: Props) {
  const form = useFormState((target) => checkEmail(target).errors);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const checked = checkEmail(target);
    if (!checked.data) return form.showErrors(target, checked.errors);
    form.setErrors({});
    void form.run(async () => {
      const { error } = await send(checked.data.email);
      form.setMessage(error ? { tone: "error", text: authErrorMessage(error) } : { tone: "success", text: sent });
    });
  }

  return (
    <form noValidate onSubmit={onSubmit} onChange={form.onChange} className="space-y-4">
      <FormMessageNotice message={form.message} />
      <TextField label="Email" name="email" type="email" autoComplete="email" error={form.errors.email} />
      <Button type="submit" className="w-full" pending={form.pending}>
        {form.pending ? "Sending…" : action}
      </Button>
    </form>
  );
}
