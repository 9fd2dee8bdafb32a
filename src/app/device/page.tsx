import type { Metadata } from "next";
import { AuthShell } from "@/components/auth/auth-shell";
import { DeviceApproval } from "@/components/auth/device-approval";
import { DEVICE_PAGE } from "@/lib/device-authorization";
import { requireUser } from "@/trpc/server";

export const metadata: Metadata = { title: "Sign in on another device" };

type Props = { searchParams: Promise<{ user_code?: string | string[] }> };

export default async function DevicePage({ searchParams }: Props) {
  const { user_code: given } = await searchParams;
  const userCode = typeof given === "string" ? given.slice(0, 20) : "";
  await requireUser(userCode ? `${DEVICE_PAGE}?user_code=${encodeURIComponent(userCode)}` : DEVICE_PAGE);
  return (
    <AuthShell
      title="Sign in on another device"
      intro="The command line (npm run cli -- sign-in) showed you a code. Approve it here to sign it in as you."
    >
      <DeviceApproval initialCode={userCode} />
    </AuthShell>
  );
}
