"use client";
// The second step of a sign-in for an account with a second factor: a code from the authenticator app or a backup
// code, and whether to trust this device for 30 days.
import Link from "next/link";
import type { FormEvent } from "react";
import { sendSecondFactorCode } from "@/components/auth/second-factor-code";
import { FormMessageNotice } from "@/components/forms/form-message";
import { useFormState } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { SECOND_FACTOR_CODE_HINT } from "@/lib/second-factor-code";
import { signInPath } from "@/lib/callback-url";

/** `callbackUrl` is already restricted to a path on this site by the page. */
export function SecondFactorForm({ callbackUrl }: { callbackUrl: string }) {
  const form = useFormState();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const data = new FormData(target);
    void form.run(async () => {
      const result = await sendSecondFactorCode(String(data.get("code") ?? ""), {
        trustDevice: data.get("trustDevice") === "on",
      });
      if (result.ok) {
        // A full navigation: the next page renders on the server with the new session.
        window.location.assign(callbackUrl);
        return;
      }
      if (result.field) return form.showErrors(target, { [result.field]: result.message });
      form.setMessage({ tone: "error", text: result.message });
    });
  }

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4">
      <FormMessageNotice message={form.message} />
      <TextField
        label="Code"
        name="code"
        autoComplete="one-time-code"
        autoCapitalize="off"
        spellCheck={false}
        autoFocus
        error={form.errors.code}
        hint={SECOND_FACTOR_CODE_HINT}
      />
      <label className="inline-flex items-center gap-2 text-sm">
        <input type="checkbox" name="trustDevice" className="size-4 accent-indigo-600" />
        Trust this device for 30 days
      </label>
      <Button type="submit" className="w-full" pending={form.pending}>
        {form.pending ? "Checking…" : "Continue"}
      </Button>
      <p className="text-sm">
        <Link href={signInPath(callbackUrl)}>Start again</Link>
      </p>
    </form>
  );
}
