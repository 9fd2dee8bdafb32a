// What the browser knows of sign-in with identity providers: the cookie that remembers the last way this device
// signed in (Better Auth's lastLoginMethod, set by the server), and the sign-in page's words for a provider's refusal.
// Anyone can write `?error=` into a URL, so messages are looked up in a Map.

export const LAST_SIGN_IN_COOKIE = "taskforge.last_sign_in_method";

const PROVIDER_ERRORS = new Map([
  ["access_denied", "The sign-in was cancelled at the provider. Nothing was changed."],
  [
    "account_not_linked",
    "An account with this email already exists, and the provider or this site has not confirmed the address. Sign in another way, then connect the provider from Settings.",
  ],
  [
    "unable_to_link_account",
    "The provider could not be connected: it did not confirm the email address, or the account is unavailable.",
  ],
  ["email_does_not_match", "The provider's email address is not your account's: sign in there with the same address."],
  ["account_already_linked_to_different_user", "This provider identity is already connected to another account."],
  [
    "email_not_verified",
    "The provider has not confirmed your email address, so no account was signed in. Confirm it there, or sign up with a password.",
  ],
  ["state_mismatch", "This sign-in was started in another browser or has expired. Start it again from this page."],
  ["state_not_found", "This sign-in was started in another browser or has expired. Start it again from this page."],
  ["please_restart_the_process", "This sign-in has expired. Start it again from this page."],
]);

/** The sign-in page's message for `?error=` after a provider's sign-in, or a general one for any other code. */
export function providerErrorMessage(error: string | string[] | undefined): string | undefined {
  if (typeof error !== "string" || !error) return undefined;
  return PROVIDER_ERRORS.get(error) ?? "The sign-in with the provider did not work. Try again, or sign in another way.";
}

/** How the sign-in page names a method remembered by LAST_SIGN_IN_COOKIE (a provider is named by its button). */
export const SIGN_IN_METHOD_NAMES: Readonly<Record<string, string>> = {
  email: "email and password",
  passkey: "a passkey",
  "magic-link": "a link by email",
};
