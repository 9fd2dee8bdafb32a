"use client";
// Sign-up with a password, or without one ("Use a passkey instead", where the browser has passkeys): both end in a
// confirmation mail; a passkey sign-up's link creates the passkey once the address is confirmed.
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { usePasskeysAvailable } from "@/components/auth/passkeys-available";
import { FormMessageNotice } from "@/components/forms/form-message";
import { PasswordStrengthMeter } from "@/components/forms/password-strength-meter";
import { ResendVerificationForm } from "@/components/auth/resend-verification-form";
import { useFormState } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { validate } from "@/components/forms/form-validation";
import { Notice } from "@/components/ui/notice";
import { PasswordField } from "@/components/ui/password-field";
import { authClient, authErrorMessage } from "@/lib/auth-client";
import {
  loadedPasswordChecker,
  loadPasswordChecker,
  type PasswordChecker,
  preloadPasswordChecker,
} from "@/lib/password-strength-loader";
import { passkeySignUpInput } from "@/lib/validation/account";
import { signUpInput } from "@/lib/validation/new-password";

function checkSignUp(checker: PasswordChecker, target: HTMLFormElement) {
  const data = new FormData(target);
  return validate(signUpInput(checker), {
    name: data.get("name"),
    email: data.get("email"),
    password: data.get("password"),
  });
}

function checkPasskeySignUp(target: HTMLFormElement) {
  const data = new FormData(target);
  return validate(passkeySignUpInput, { name: data.get("name"), email: data.get("email") });
}

export function SignUpForm() {
  const [values, setValues] = useState({ name: "", email: "", password: "" });
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [withPasskey, setWithPasskey] = useState(false);
  const passkeysAvailable = usePasskeysAvailable();
  const form = useFormState((target) => {
    if (withPasskey) return checkPasskeySignUp(target).errors;
    const checker = loadedPasswordChecker();
    return checker ? checkSignUp(checker, target).errors : null;
  });

  if (sentTo) {
    return (
      <>
        <Notice tone="success">
          Almost done: we sent a confirmation link to <strong>{sentTo}</strong>. Open it to activate your account.
        </Notice>
        <ResendVerificationForm email={sentTo} />
      </>
    );
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    void form.run(async () => {
      if (withPasskey) {
        const checked = checkPasskeySignUp(target);
        if (!checked.data) return form.showErrors(target, checked.errors);
        form.setErrors({});
        const { error } = await authClient.signUp.passkey(checked.data);
        if (!error) return setSentTo(checked.data.email);
        return form.setMessage({ tone: "error", text: authErrorMessage(error) });
      }
      const checked = checkSignUp(await loadPasswordChecker(), target);
      if (!checked.data) return form.showErrors(target, checked.errors);
      form.setErrors({});
      const { error } = await authClient.signUp.email(checked.data);
      if (!error) return setSentTo(checked.data.email);
      if (error.code === "PASSWORD_TOO_WEAK") return form.showErrors(target, { password: error.message });
      form.setMessage({ tone: "error", text: authErrorMessage(error) });
    });
  }

  const set = (field: keyof typeof values) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));

  return (
    <form noValidate onSubmit={onSubmit} onChange={form.onChange} className="space-y-4">
      <FormMessageNotice message={form.message} />
      <TextField
        label="Name"
        name="name"
        autoComplete="name"
        value={values.name}
        onChange={set("name")}
        error={form.errors.name}
      />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        value={values.email}
        onChange={set("email")}
        error={form.errors.email}
      />
      {withPasskey ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          No password: once you confirm your address from the mail we send, this device makes a passkey, and you sign in
          with its lock (fingerprint, face or PIN).
        </p>
      ) : (
        <PasswordField
          label="Password"
          name="password"
          autoComplete="new-password"
          value={values.password}
          onChange={set("password")}
          onFocus={preloadPasswordChecker}
          error={form.errors.password}
          hint={<PasswordStrengthMeter password={values.password} context={[values.name, values.email]} />}
        />
      )}
      <Button type="submit" className="w-full" pending={form.pending}>
        {form.pending ? "Creating your account…" : withPasskey ? "Create account with a passkey" : "Create account"}
      </Button>
      {passkeysAvailable && (
        <p className="text-center text-sm">
          <button
            type="button"
            className="font-medium underline"
            disabled={form.pending}
            onClick={() => {
              form.setErrors({});
              form.setMessage(null);
              setWithPasskey(!withPasskey);
            }}
          >
            {withPasskey ? "Use a password instead" : "Use a passkey instead of a password"}
          </button>
        </p>
      )}
      <p className="text-center text-sm">
        Already have an account? <Link href="/sign-in">Sign in</Link>
      </p>
    </form>
  );
}
