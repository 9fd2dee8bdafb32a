"use client";
// Sign-in with a passkey: the button asks the browser for one; and while the page is open the browser may offer the
// account's passkeys in the email field's autofill (conditional mediation, `autocomplete="username webauthn"`). A
// passkey sign-in is already two factors: it goes straight to the page asked for.
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { authClient } from "@/lib/auth-client";

export function PasskeySignIn({ callbackUrl }: { callbackUrl: string }) {
  const [failed, setFailed] = useState(false);
  const [pending, setPending] = useState(false);

  useEffect(() => {
    if (typeof PublicKeyCredential === "undefined") return;
    void PublicKeyCredential.isConditionalMediationAvailable?.().then(async (available) => {
      if (!available) return;
      const answer = await authClient.signIn.passkey({ autoFill: true });
      // A full navigation: the next page renders on the server with the new session.
      if (answer && !answer.error) window.location.assign(callbackUrl);
    });
  }, [callbackUrl]);

  async function signIn() {
    setFailed(false);
    setPending(true);
    const answer = await authClient.signIn.passkey();
    if (answer && !answer.error) return window.location.assign(callbackUrl);
    setPending(false);
    setFailed(true);
  }

  return (
    <div className="space-y-2">
      {failed && <Notice tone="error">No passkey signed you in. Try again, or use your email address.</Notice>}
      <Button variant="secondary" className="w-full" pending={pending} onClick={() => void signIn()}>
        Use a passkey
      </Button>
    </div>
  );
}
