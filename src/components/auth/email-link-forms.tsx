"use client";
// Sign-in by a link in the mail: asking for one, and using one. The link opens this page; the token is spent only
// when the person presses "Sign in", so a mail scanner that opens links spends nothing.
import type { FormEvent } from "react";
import { EmailOnlyForm } from "@/components/auth/email-only-form";
import { FormMessageNotice } from "@/components/forms/form-message";
import { useFormState } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { authClient } from "@/lib/auth-client";
import { DEFAULT_AFTER_SIGN_IN } from "@/lib/callback-url";

export function EmailLinkRequestForm() {
  return (
    <EmailOnlyForm
      send={(email) => authClient.signIn.magicLink({ email })}
      sent="If an account uses that address, a sign-in link is on its way. It works once, within the next 10 minutes."
      action="Email me a sign-in link"
    />
  );
}

export function EmailLinkSignIn({ token }: { token: string }) {
  const form = useFormState();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void form.run(async () => {
      // A link that does not work answers with a redirect (Better Auth's), which is not followed here.
      const response = await fetch(`/api/auth/magic-link/verify?token=${encodeURIComponent(token)}`, {
        redirect: "manual",
      });
      if (response.ok) {
        const body = (await response.json()) as { twoFactorRedirect?: boolean };
        // A full navigation: the next page renders on the server with the new session (or asks for the code).
        window.location.assign(
          body.twoFactorRedirect
            ? `/sign-in/second-factor?callbackUrl=${encodeURIComponent(DEFAULT_AFTER_SIGN_IN)}`
            : DEFAULT_AFTER_SIGN_IN,
        );
        return;
      }
      form.setMessage({
        tone: "error",
        text:
          response.status === 429
            ? "Too many attempts. Wait a few minutes, then try again."
            : "This link has expired or was already used. Ask for a new one below.",
      });
    });
  }

  return (
    <div className="space-y-6">
      <form noValidate onSubmit={onSubmit} className="space-y-4">
        <FormMessageNotice message={form.message} />
        <Button type="submit" className="w-full" pending={form.pending}>
          {form.pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {form.message && <EmailLinkRequestForm />}
    </div>
  );
}
