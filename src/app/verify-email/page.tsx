import type { Metadata } from "next";
import Link from "next/link";
import { AuthShell } from "@/components/auth/auth-shell";
import { ConfirmEmailForm } from "@/components/auth/confirm-email-form";
import { ResendVerificationForm } from "@/components/auth/resend-verification-form";
import { buttonClass } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { confirmationOffersPasskey } from "@/server/auth/email-confirmation";
import { getViewer } from "@/trpc/server";

export const metadata: Metadata = { title: "Confirm your email" };

// The confirmation mail links here with `token`; confirming (src/components/auth/confirm-email-form.tsx) comes
// back with `verified=1`.
type Props = { searchParams: Promise<{ verified?: string; token?: string }> };

export default async function VerifyEmailPage({ searchParams }: Props) {
  const { verified, token } = await searchParams;
  if (typeof token === "string" && token) {
    return (
      <AuthShell title="Confirm your email">
        <ConfirmEmailForm token={token} offersPasskey={confirmationOffersPasskey(token)} />
      </AuthShell>
    );
  }
  // Confirming signs the user in, so only a signed-in, verified viewer is told it worked; anyone else (an
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
