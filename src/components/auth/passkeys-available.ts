"use client";
// Whether this browser can use passkeys (WebAuthn). Known only in the browser: the server renders without the passkey
// choices, and they appear right after hydration.
import { useSyncExternalStore } from "react";

const nothingToSubscribe = () => () => {};

export function usePasskeysAvailable(): boolean {
  return useSyncExternalStore(
    nothingToSubscribe,
    () => typeof PublicKeyCredential !== "undefined",
    () => false,
  );
}
