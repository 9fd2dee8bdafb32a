import type { Metadata } from "next";
import { AUTH_EVENTS_INPUT } from "@/components/audit-event-input";
import { MyAuthEvents } from "@/components/audit-events";
import { ChangeEmailForm } from "@/components/settings/change-email-form";
import { ChangePasswordForm } from "@/components/settings/change-password-form";
import { DeleteAccountForm } from "@/components/settings/delete-account-form";
import { ExportDataButton } from "@/components/settings/export-data-button";
import { PasskeySettings } from "@/components/settings/passkey-settings";
import { ProfileForm } from "@/components/settings/profile-form";
import { ProviderSettings } from "@/components/settings/provider-settings";
import { Notice } from "@/components/ui/notice";
import { env } from "@/env";
import { providerErrorMessage } from "@/lib/identity-providers";
import { SessionsList } from "@/components/settings/sessions-list";
import { TwoFactorSettings } from "@/components/settings/two-factor-settings";
import { Card } from "@/components/ui/card";
import Link from "next/link";
import { hasPassword } from "@/server/auth/sign-in-ways";
import { passkeysOf } from "@/server/auth/passkeys";
import { db } from "@/server/db";
import { api, HydrateClient, requireUser } from "@/trpc/server";

export const metadata: Metadata = { title: "Settings" };

type Props = { searchParams: Promise<{ error?: string | string[] }> };

export default async function SettingsPage({ searchParams }: Props) {
  const viewer = await requireUser("/settings");
  // A provider that could not be connected sends the browser back here with its reason.
  const providerError = providerErrorMessage((await searchParams).error);
  const [passkeys, withPassword, providerAccounts] = await Promise.all([
    passkeysOf(db, viewer.id),
    hasPassword(db, viewer.id),
    db.account.findMany({
      where: { userId: viewer.id, providerId: { not: "credential" } },
      select: { id: true, providerId: true },
      orderBy: { createdAt: "asc" },
    }),
    api.session.list.prefetch(),
    api.user.authEvents.prefetchInfinite(AUTH_EVENTS_INPUT),
  ]);
  return (
    <HydrateClient>
      <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-8">
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <Card title="Profile">
          <ProfileForm name={viewer.name} email={viewer.email} />
        </Card>
        <Card
          title="Email address"
          description="The new address takes effect once you confirm it from the link we send there."
        >
          <ChangeEmailForm email={viewer.email} />
        </Card>
        {withPassword ? (
          <Card title="Password" description="Changing your password signs you out on every other device.">
            <ChangePasswordForm name={viewer.name} email={viewer.email} />
          </Card>
        ) : (
          <Card
            title="Password"
            description="This account has no password: you sign in with a passkey or a link by email."
          >
            <p className="text-sm">
              To add one, <Link href="/forgot-password">ask for a password link</Link>: it is mailed to your address.
            </p>
          </Card>
        )}
        <Card title="Two-factor authentication" description="A code from your phone as well as your password.">
          <TwoFactorSettings enabled={viewer.twoFactorEnabled} />
        </Card>
        <Card
          title="Passkeys"
          description="Sign in with your device's fingerprint, face or screen lock instead of a password."
        >
          <PasskeySettings passkeys={passkeys} />
        </Card>
        {(env.IDENTITY_PROVIDERS.length > 0 || providerAccounts.length > 0) && (
          <Card title="Sign-in providers" description="Sign in with an account you have elsewhere.">
            {providerError && <Notice tone="error">{providerError}</Notice>}
            <ProviderSettings
              configured={env.IDENTITY_PROVIDERS.map(({ id, name }) => ({ id, name }))}
              connected={providerAccounts.map(({ id, providerId }) => ({ accountId: id, providerId }))}
            />
          </Card>
        )}
        <Card title="Sessions" description="The devices where your account is signed in.">
          <SessionsList />
        </Card>
        <Card title="Recent activity" description="Sign-ins and changes to your account.">
          <MyAuthEvents viewerId={viewer.id} />
        </Card>
        <Card title="Your data" description="Take a copy of everything we hold about you, or delete it all.">
          <div className="divide-y divide-slate-200 dark:divide-slate-800 *:not-first:pt-6 *:not-last:pb-6">
            <ExportDataButton />
            <DeleteAccountForm withPassword={withPassword} />
          </div>
        </Card>
      </main>
    </HydrateClient>
  );
}
