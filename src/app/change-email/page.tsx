import type { Metadata } from "next";
import { AuthShell } from "@/components/auth/auth-shell";
import { ConfirmNewEmail } from "@/components/auth/confirm-new-email";

export const metadata: Metadata = { title: "Confirm your new email address" };

type Props = { searchParams: Promise<{ token?: string | string[] }> };

export default async function ChangeEmailPage({ searchParams }: Props) {
  const { token } = await searchParams;
  return (
    <AuthShell
      title="Confirm your new email address"
      intro="Press the button to make this address the one of your account. Your sessions stay signed in."
    >
      {typeof token === "string" && token ? (
        <ConfirmNewEmail token={token} />
      ) : (
        <p>This page needs the link from the confirmation mail. Ask for a new one in Settings.</p>
      )}
    </AuthShell>
  );
}
