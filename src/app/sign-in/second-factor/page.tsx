import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { SecondFactorForm } from "@/components/auth/second-factor-form";
import { safeCallbackUrl } from "@/lib/callback-url";
import { getViewer } from "@/trpc/server";

export const metadata: Metadata = { title: "Two-factor authentication" };

type Props = { searchParams: Promise<{ callbackUrl?: string | string[] }> };

export default async function SecondFactorPage({ searchParams }: Props) {
  const { callbackUrl } = await searchParams;
  const next = safeCallbackUrl(typeof callbackUrl === "string" ? callbackUrl : undefined);
  if (await getViewer()) redirect(next);
  return (
    <AuthShell
      title="Two-factor authentication"
      intro="One more step. Enter the code your authenticator app shows for Taskforge to finish signing in."
    >
      <SecondFactorForm callbackUrl={next} />
    </AuthShell>
  );
}
