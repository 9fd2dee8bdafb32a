"use client";
import Link from "next/link";
import type { FormEvent } from "react";
import { PasskeySignIn } from "@/components/auth/passkey-sign-in";
import { FormMessageNotice } from "@/components/forms/form-message";
import { useFormState } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { validate } from "@/components/forms/form-validation";
import { PasswordField } from "@/components/ui/password-field";
import { authClient, authErrorMessage } from "@/lib/auth-client";
import { signInInput } from "@/lib/validation/account";

/** `callbackUrl` is already restricted to a path on this site by the page. */
export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const form = useFormState();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const data = new FormData(target);
    const checked = validate(signInInput, {
      email: data.get("email"),
      password: data.get("password"),
      rememberMe: data.get("rememberMe") === "on",
    });
    if (!checked.data) return form.showErrors(target, checked.errors);
    form.setErrors({});
    void form.run(async () => {
      const { data: signedIn, error } = await authClient.signIn.email({ ...checked.data, callbackURL: callbackUrl });
      if (signedIn && "twoFactorRedirect" in signedIn) {
        // The password was right; the account also asks for a code before anything of it is reachable.
        // eslint-disable-next-line @next/next/no-location-assign-relative-destination
        window.location.assign(`/sign-in/second-factor?callbackUrl=${encodeURIComponent(callbackUrl)}`);
        return;
      }
      if (!error) {
        // A full navigation: the next page renders on the server with the new session.
        window.location.assign(callbackUrl);
        return;
      }
      if (error.code === "EMAIL_NOT_VERIFIED") {
        form.setMessage({
          tone: "info",
          text: "Confirm your email address first: we just sent you a new link. Open it, then sign in.",
        });
        return;
      }
      form.setMessage({ tone: "error", text: authErrorMessage(error) });
    });
  }

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4">
      <FormMessageNotice message={form.message} />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username webauthn"
        autoFocus
        error={form.errors.email}
      />
      <PasswordField label="Password" name="password" autoComplete="current-password" error={form.errors.password} />
      <div className="flex flex-wrap items-center justify-between gap-2">
        <label className="inline-flex items-center gap-2 text-sm">
          <input type="checkbox" name="rememberMe" defaultChecked className="size-4 accent-indigo-600" />
          Remember me
        </label>
        <Link href="/forgot-password" className="text-sm">
          Forgot your password?
        </Link>
      </div>
      <Button type="submit" className="w-full" pending={form.pending}>
        {form.pending ? "Signing in…" : "Sign in"}
      </Button>
      <PasskeySignIn callbackUrl={callbackUrl} />
    </form>
  );
}
