import type { Metadata } from "next";
import Link from "next/link";
import { AuthShell } from "@/components/auth/auth-shell";
import { ResendVerificationForm } from "@/components/auth/resend-verification-form";
import { buttonClass } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { getViewer } from "@/trpc/server";

export const metadata: Metadata = { title: "Confirm your email" };

// Better Auth sends the confirmation link here, with `error` when it could not confirm.
const ERRORS: Record<string, string> = {
  TOKEN_EXPIRED: "This confirmation link has expired.",
  INVALID_TOKEN: "This confirmation link is not valid.",
  USER_NOT_FOUND: "This confirmation link belongs to an account that no longer exists.",
};

type Props = { searchParams: Promise<{ verified?: string; error?: string }> };

export default async function VerifyEmailPage({ searchParams }: Props) {
  const { verified, error } = await searchParams;
  if (error) {
    return (
      <AuthShell title="We could not confirm your email">
        <Notice tone="error">{ERRORS[error] ?? "This confirmation link did not work."} Ask for a new one below.</Notice>
        <ResendVerificationForm />
      </AuthShell>
    );
  }
  // A confirmed link signs the user in, so only a signed-in, verified viewer is told it worked; anyone else (an
  // address typed by hand, a session that did not stick) is asked to sign in, which says what is still missing.
  const viewer = verified ? await getViewer() : null;
  if (viewer?.emailVerified) {
    return (
      <AuthShell title="Email confirmed">
        <Notice tone="success">Your email address is confirmed and you are signed in. Welcome!</Notice>
        <Link href="/tasks" className={buttonClass("primary", "w-full")}>
          Go to your tasks
        </Link>
      </AuthShell>
    );
  }
  if (verified) {
    return (
      <AuthShell title="Sign in to continue" intro="If you opened the link from our email, your address is confirmed.">
        <Link href="/sign-in" className={buttonClass("primary", "w-full")}>
          Sign in
        </Link>
      </AuthShell>
    );
  }
  return (
    <AuthShell title="Confirm your email" intro="Open the link we sent to your inbox to activate your account.">
      <ResendVerificationForm />
    </AuthShell>
  );
}
