"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Loads the auth client only when pressed, so pages that merely show the button do not ship it. */
export function SignOutButton() {
  const [pending, setPending] = useState(false);
  async function signOut() {
    setPending(true);
    const { authClient } = await import("@/lib/auth-client");
    await authClient.signOut();
    // A full load, so nothing of this user's data stays in the page's memory.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign("/sign-in?reason=signed-out");
  }
  return (
    <Button variant="ghost" pending={pending} onClick={signOut}>
      Sign out
    </Button>
  );
}
