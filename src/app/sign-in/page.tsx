import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Notice } from "@/components/ui/notice";
import { safeCallbackUrl } from "@/lib/callback-url";
import { getViewer } from "@/trpc/server";

export const metadata: Metadata = { title: "Sign in" };

const REASONS: Record<string, string> = {
  "session-ended": "Your session has ended. Sign in again to continue.",
  "signed-out": "You are signed out.",
};

type Props = { searchParams: Promise<{ callbackUrl?: string; reason?: string }> };

export default async function SignInPage({ searchParams }: Props) {
  const { callbackUrl, reason } = await searchParams;
  const next = safeCallbackUrl(callbackUrl);
  if (await getViewer()) redirect(next);
  const notice = reason ? REASONS[reason] : undefined;
  return (
    <AuthShell
      title="Sign in"
      footer={
        <p>
          New here? <Link href="/sign-up">Create an account</Link>
        </p>
      }
    >
      {notice && <Notice tone="info">{notice}</Notice>}
      <SignInForm callbackUrl={next} />
    </AuthShell>
  );
}
