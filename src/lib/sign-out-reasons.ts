// Why a device was signed out without choosing to, and what the sign-in page tells it (src/server/auth/sign-out-reasons.ts).

const NOTICES = {
  "signed-out-remotely": "This device was signed out from another of your devices. Sign in again to continue.",
  "signed-out-everywhere": "You were signed out on all your devices. Sign in again to continue.",
  "password-changed":
    "This device was signed out because the account's password was changed. If that was not you, reset your password.",
  banned: "This device was signed out because an administrator suspended the account.",
  expired: "Your session expired. Sign in again to continue.",
} as const;

export type SignOutReason = keyof typeof NOTICES;

const REASONS = new Map(Object.entries(NOTICES)) as ReadonlyMap<SignOutReason, string>;

export function isSignOutReason(value: string): value is SignOutReason {
  return REASONS.has(value as SignOutReason);
}

/** What the sign-in page says to a device signed out for `reason`. */
export function signOutNotice(reason: SignOutReason): string {
  return NOTICES[reason];
}
