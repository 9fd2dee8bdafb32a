"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Loads the auth client only when pressed, so pages that merely show the button do not ship it. */
export function SignOutButton() {
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);

  async function signOut() {
    setPending(true);
    setFailed(false);
    try {
      const { authClient } = await import("@/lib/auth-client");
      const { error } = await authClient.signOut();
      if (!error) {
        // A full load, so nothing of this user's data stays in the page's memory.
        // eslint-disable-next-line @next/next/no-location-assign-relative-destination
        window.location.assign("/sign-in?reason=signed-out");
        return;
      }
    } catch {
      // Offline, or the client failed to load: the same as a refused sign-out for the person pressing it.
    }
    setFailed(true);
    setPending(false);
  }

  return (
    <>
      {failed && (
        <span role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
          Not signed out. Try again.
        </span>
      )}
      <Button variant="ghost" className="whitespace-nowrap" pending={pending} onClick={signOut}>
        Sign out
      </Button>
    </>
  );
}
