import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { EmailLinkRequestForm, EmailLinkSignIn } from "@/components/auth/email-link-forms";
import { DEFAULT_AFTER_SIGN_IN } from "@/lib/callback-url";
import { getViewer } from "@/trpc/server";

export const metadata: Metadata = { title: "Sign in with a link" };

type Props = { searchParams: Promise<{ token?: string | string[] }> };

export default async function EmailLinkPage({ searchParams }: Props) {
  const { token } = await searchParams;
  if (await getViewer()) redirect(DEFAULT_AFTER_SIGN_IN);
  const footer = (
    <p>
      Rather use your password? <Link href="/sign-in">Sign in</Link>
    </p>
  );
  if (typeof token === "string" && token) {
    return (
      <AuthShell title="Sign in with your link" intro="Press the button to sign in on this device." footer={footer}>
        <EmailLinkSignIn token={token} />
      </AuthShell>
    );
  }
  return (
    <AuthShell
      title="Sign in with a link"
      intro="Enter the email address of your account and we will send you a link that signs you in, once, within 10 minutes."
      footer={footer}
    >
      <EmailLinkRequestForm />
    </AuthShell>
  );
}
