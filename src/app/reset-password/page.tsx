import type { Metadata } from "next";
import Link from "next/link";
import { AuthShell } from "@/components/auth/auth-shell";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";
import { Notice } from "@/components/ui/notice";

export const metadata: Metadata = { title: "Choose a new password" };

// The link in the reset email passes through Better Auth, which adds `token`, or `error` when it is no longer valid.
type Props = { searchParams: Promise<{ token?: string; error?: string }> };

export default async function ResetPasswordPage({ searchParams }: Props) {
  const { token, error } = await searchParams;
  if (error || !token) {
    return (
      <AuthShell title="Choose a new password">
        <Notice tone="error">This reset link is invalid, expired or already used.</Notice>
        <Link href="/forgot-password">Ask for a new link</Link>
      </AuthShell>
    );
  }
  return (
    <AuthShell title="Choose a new password" intro="Saving it signs you out on every other device.">
      <ResetPasswordForm token={token} />
    </AuthShell>
  );
}
