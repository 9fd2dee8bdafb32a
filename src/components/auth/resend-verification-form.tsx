"use client";
import { type FormEvent, useState } from "react";
import { FormMessageNotice } from "@/components/forms/form-message";
import { useFormState } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { validate } from "@/components/forms/form-validation";
import { authClient, authErrorMessage } from "@/lib/auth-client";
import { emailOnlyInput } from "@/lib/validation/account";

/** Sends a fresh confirmation link; the answer is the same whether or not the address has an account. */
export function ResendVerificationForm({ email = "" }: { email?: string }) {
  const [value, setValue] = useState(email);
  const form = useFormState((target) => validate(emailOnlyInput, { email: new FormData(target).get("email") }).errors);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const checked = validate(emailOnlyInput, { email: value });
    if (!checked.data) return form.showErrors(target, checked.errors);
    form.setErrors({});
    void form.run(async () => {
      const { error } = await authClient.sendVerificationEmail({ email: checked.data.email });
      form.setMessage(
        error
          ? { tone: "error", text: authErrorMessage(error) }
          : { tone: "success", text: "If that address needs confirming, a new link is on its way. Check your inbox." },
      );
    });
  }

  return (
    <form
      noValidate
      onSubmit={onSubmit}
      onChange={form.onChange}
      className="space-y-3"
      aria-label="Send the confirmation link again"
    >
      <FormMessageNotice message={form.message} />
      <TextField
        label="Didn't get the email? Send it again to"
        name="email"
        type="email"
        autoComplete="email"
        value={value}
        onChange={(event) => setValue(event.target.value)}
        error={form.errors.email}
      />
      <Button type="submit" variant="secondary" pending={form.pending}>
        {form.pending ? "Sending…" : "Send a new link"}
      </Button>
    </form>
  );
}
