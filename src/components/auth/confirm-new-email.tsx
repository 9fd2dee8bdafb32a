"use client";
// The page a change-of-address mail links to: the address changes only when the person presses the button, so a
// mail scanner that opens the link changes nothing.
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { FormMessageNotice } from "@/components/forms/form-message";
import { useFormState } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";

export function ConfirmNewEmail({ token }: { token: string }) {
  const form = useFormState();
  const [done, setDone] = useState(false);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void form.run(async () => {
      const response = await fetch(`/api/auth/verify-email?token=${encodeURIComponent(token)}`);
      if (response.ok) {
        setDone(true);
        form.setMessage({ tone: "success", text: "Your email address is changed. Sign in with it from now on." });
        return;
      }
      const body = (await response.json().catch(() => ({}))) as { message?: string };
      form.setMessage({
        tone: "error",
        text:
          response.status === 400 && body.message
            ? body.message
            : "This link has expired or is no longer valid. Ask for a new one in Settings.",
      });
    });
  }

  if (done) {
    return (
      <div className="space-y-4">
        <FormMessageNotice message={form.message} />
        <Link href="/settings">Go to your settings</Link>
      </div>
    );
  }
  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4">
      <FormMessageNotice message={form.message} />
      <Button type="submit" className="w-full" pending={form.pending}>
        {form.pending ? "Confirming…" : "Use this address"}
      </Button>
    </form>
  );
}
