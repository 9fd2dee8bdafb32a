import type { Metadata } from "next";
import Link from "next/link";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { ProviderSignIn } from "@/components/auth/provider-sign-in";
import { SignInForm } from "@/components/auth/sign-in-form";
import { env } from "@/env";
import { LAST_SIGN_IN_COOKIE, providerErrorMessage, SIGN_IN_METHOD_NAMES } from "@/lib/identity-providers";
import { Notice } from "@/components/ui/notice";
import { safeCallbackUrl } from "@/lib/callback-url";
import { signInNotice } from "@/lib/page-notices";
import { signOutNotice } from "@/lib/sign-out-reasons";
import { signOutReason } from "@/server/auth/sessions";
import { getViewer } from "@/trpc/server";

export const metadata: Metadata = { title: "Sign in" };

type Props = {
  searchParams: Promise<{ callbackUrl?: string | string[]; reason?: string | string[]; error?: string | string[] }>;
};

export default async function SignInPage({ searchParams }: Props) {
  const { callbackUrl, reason, error } = await searchParams;
  const next = safeCallbackUrl(typeof callbackUrl === "string" ? callbackUrl : undefined);
  if (await getViewer()) redirect(next);
  // Why this device's session ended, when it did not sign out itself; else what the link says.
  const signedOut = await signOutReason(await headers());
  const notice = signedOut ? signOutNotice(signedOut) : signInNotice(reason);
  const providerError = providerErrorMessage(error);
  const providers = env.IDENTITY_PROVIDERS.map(({ id, name }) => ({ id, name }));
  // The way this device signed in last (Better Auth's lastLoginMethod cookie): a provider's button is marked.
  const lastMethod = (await cookies()).get(LAST_SIGN_IN_COOKIE)?.value;
  const lastMethodName = lastMethod ? SIGN_IN_METHOD_NAMES[lastMethod] : undefined;
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
      {providerError && <Notice tone="error">{providerError}</Notice>}
      {lastMethodName && <p className="text-sm">Last used on this device: {lastMethodName}.</p>}
      <SignInForm callbackUrl={next} />
      <ProviderSignIn providers={providers} callbackUrl={next} lastMethod={lastMethod} />
    </AuthShell>
  );
}
