import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Notice } from "@/components/ui/notice";
import { safeCallbackUrl } from "@/lib/callback-url";
import { signInNotice } from "@/lib/page-notices";
import { signOutNotice } from "@/lib/sign-out-reasons";
import { signOutReason } from "@/server/auth/sessions";
import { getViewer } from "@/trpc/server";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ callbackUrl?: string | string[]; reason?: string | string[] }> };

export default async function SignInPage({ searchParams }: Props) {
  const { callbackUrl, reason } = await searchParams;
  const next = safeCallbackUrl(typeof callbackUrl === "string" ? callbackUrl : undefined);
  if (await getViewer()) redirect(next);
  // Why this device's session ended, when it did not sign out itself; else what the link says.
  const signedOut = await signOutReason(await headers());
  const notice = signedOut ? signOutNotice(signedOut) : signInNotice(reason);
  return (
    <AuthShell
      title="Sign in"
      footer={
        <>
          <p>
            No password at hand? <Link href="/sign-in/email-link">Email me a sign-in link</Link>
          </p>
          <p>
            New here? <Link href="/sign-up">Create an account</Link>
          </p>
        </>
      }
    >
      {notice && <Notice tone="info">{notice}</Notice>}
      <SignInForm callbackUrl={next} />
    </AuthShell>
  );
}
