"use client";
// Sign-in providers in settings: the connected ones (disconnect, unless it is the last way to sign in) and the
// configured ones not yet connected (connect: a recent sign-in needed, then the provider's page). The auth client is
// downloaded on a press, not with the page.
import { FormMessageNotice } from "@/components/forms/form-message";
import { useAuthAction } from "@/components/settings/use-auth-action";
import { Button } from "@/components/ui/button";

export type ConnectedProvider = { accountId: string; providerId: string };
export type ConfiguredProvider = { id: string; name: string };

export function ProviderSettings({
  configured,
  connected,
}: {
  configured: ConfiguredProvider[];
  connected: ConnectedProvider[];
}) {
  const { form, prompt, act } = useAuthAction();
  const nameOf = (id: string) => configured.find((provider) => provider.id === id)?.name ?? id;
  const linked = new Set(connected.map((account) => account.providerId));

  return (
    <div className="space-y-4">
      {prompt}
      <FormMessageNotice message={form.message} />
      <ul aria-label="Sign-in providers" className="divide-y divide-slate-200 dark:divide-slate-800">
        {connected.map((account) => (
          <li key={account.accountId} className="flex items-center justify-between gap-3 py-3">
            <p className="font-medium">{nameOf(account.providerId)} (connected)</p>
            <Button
              variant="secondary"
              pending={form.pending}
              onClick={() =>
                act(
                  (client) => client.unlinkAccount({ accountId: account.accountId }),
                  `${nameOf(account.providerId)} disconnected.`,
                )
              }
            >
              Disconnect
            </Button>
          </li>
        ))}
        {configured
          .filter((provider) => !linked.has(provider.id))
          .map((provider) => (
            <li key={provider.id} className="flex items-center justify-between gap-3 py-3">
              <p>{provider.name}</p>
              <Button
                variant="secondary"
                pending={form.pending}
                onClick={() =>
                  act((client) =>
                    client.linkSocial({
                      provider: provider.id,
                      callbackURL: "/settings",
                      errorCallbackURL: "/settings",
                    }),
                  )
                }
              >
                Connect
              </Button>
            </li>
          ))}
      </ul>
    </div>
  );
}
