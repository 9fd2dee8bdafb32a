"use client";
// One button per configured identity provider; the one this device signed in with last is marked.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { authClient } from "@/lib/auth-client";

export type ProviderButton = { id: string; name: string };

export function ProviderSignIn({
  providers,
  callbackUrl,
  lastMethod,
}: {
  providers: ProviderButton[];
  callbackUrl: string;
  lastMethod?: string;
}) {
  const [pending, setPending] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  if (providers.length === 0) return null;

  async function signIn(provider: string) {
    setFailed(false);
    setPending(provider);
    // Better Auth answers the provider's authorization URL and the browser goes there.
    const answer = await authClient.signIn.social({ provider, callbackURL: callbackUrl, errorCallbackURL: "/sign-in" });
    if (answer.error) {
      setPending(null);
      setFailed(true);
    }
  }

  return (
    <div className="space-y-2">
      {failed && <Notice tone="error">The provider could not be reached. Try again, or sign in another way.</Notice>}
      {providers.map((provider) => (
        <Button
          key={provider.id}
          variant="secondary"
          className="w-full"
          pending={pending === provider.id}
          onClick={() => void signIn(provider.id)}
        >
          Sign in with {provider.name}
          {lastMethod === provider.id && <span className="ml-2 text-xs font-normal">(last used)</span>}
        </Button>
      ))}
    </div>
  );
}
