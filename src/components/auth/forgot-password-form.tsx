"use client";
import { EmailOnlyForm } from "@/components/auth/email-only-form";
import { authClient } from "@/lib/auth-client";

export function ForgotPasswordForm() {
  return (
    <EmailOnlyForm
      send={(email) => authClient.requestPasswordReset({ email, redirectTo: "/reset-password" })}
      sent="If an account uses that address, a reset link is on its way. It works once, within the next hour."
      action="Send the reset link"
    />
  );
}
