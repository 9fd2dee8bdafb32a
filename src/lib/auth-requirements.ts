// What a refused sensitive action asks of the caller, as a machine-readable reason (tRPC's `error.data.reason`, the
// `code` of Better Auth's JSON errors): the UI turns it into a prompt, then resumes the action.
/** The session's last sign-in is older than FRESH_SESSION_MAX_AGE_SECONDS: sign in again (password, then code). */
export const FRESH_SESSION_REQUIRED = "FRESH_SESSION_REQUIRED";
/** An admin procedure needs a session made with a second factor (REQUIRE_ADMIN_MFA): enrol one and sign in with it. */
export const SECOND_FACTOR_REQUIRED = "SECOND_FACTOR_REQUIRED";

export type AuthRequirement = typeof FRESH_SESSION_REQUIRED | typeof SECOND_FACTOR_REQUIRED;

/** Changing the password, enrolling or removing a factor, deleting the account, admin changes: within 10 minutes. */
export const FRESH_SESSION_MAX_AGE_SECONDS = 10 * 60;

export const FRESH_SESSION_MESSAGE = "Please confirm it is you: sign in again to continue.";
export const SECOND_FACTOR_MESSAGE =
  "Administration needs two-factor authentication: turn it on in Settings, then sign in again with a code.";

export function isAuthRequirement(value: unknown): value is AuthRequirement {
  return value === FRESH_SESSION_REQUIRED || value === SECOND_FACTOR_REQUIRED;
}
