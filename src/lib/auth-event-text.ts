// Account events told in words, for the activity lists of settings and admin: what happened, who did it ("you", the
// administrator's name in the admin view, else "an administrator"), and only the details that are there. No server imports: the lists render it in the browser.
type EventLike = { type: string; detail: unknown; actorName?: string | null };

const WHAT: Record<string, string> = {
  "sign-up": "Account created",
  "sign-up-existing-email": "Someone tried to sign up with this email address",
  "sign-in": "Signed in",
  "sign-in-failed": "Sign-in failed",
  "sign-in-throttled": "Sign-in paused after too many wrong passwords",
  "sign-out": "Signed out",
  "email-verified": "Email address confirmed",
  "password-reset-requested": "Password reset link requested",
  "password-reset": "Password reset",
  "password-changed": "Password changed",
  "session-revoked": "A device was signed out",
  "role-changed": "Role changed",
  banned: "Banned",
  unbanned: "Ban lifted",
  "account-exported": "Data exported",
  "account-deleted": "Account deleted",
  "mail-retried": "A mail was sent again",
  "second-factor-required": "Second factor asked for",
  "second-factor-failed": "Wrong second-factor code",
  "two-factor-enabled": "Two-factor authentication turned on",
  "two-factor-disabled": "Two-factor authentication turned off",
  "backup-codes-regenerated": "New backup codes made",
  "two-factor-reset": "Two-factor authentication reset",
  reauthenticated: "Password confirmed",
  "passkey-added": "Passkey added",
  "passkey-removed": "Passkey removed",
  "device-approved": "A sign-in on another device (the command line) approved",
  "device-denied": "A sign-in on another device (the command line) denied",
  "provider-linked": "Sign-in provider connected",
  "provider-unlinked": "Sign-in provider disconnected",
  "provider-link-refused": "A sign-in provider was refused: its email is not vouched for or not confirmed here",
  "organization-created": "Organization created",
  "organization-updated": "Organization renamed",
  "organization-deleted": "Organization deleted",
  "member-added": "Joined an organization",
  "member-removed": "Left or removed from an organization",
  "member-role-changed": "Role in an organization changed",
  "invitation-sent": "Invitation to an organization sent",
  "invitation-accepted": "Invitation to an organization accepted",
  "invitation-declined": "Invitation to an organization declined",
  "invitation-cancelled": "Invitation to an organization revoked",
};

/** How a sign-in was made (its first factor, or the second it was finished with), as a person would say it. */
const METHODS: Record<string, string> = {
  password: "with the password",
  "magic-link": "with a link by email",
  passkey: "with a passkey",
  totp: "with a code from the app",
  "backup-code": "with a backup code",
  "trusted-device": "on a trusted device",
  provider: "with a sign-in provider",
  device: "on the command line, approved in the browser",
};

/** Better Auth's refusal codes, as a person would say them. */
const FAILURE_REASONS: Record<string, string> = {
  INVALID_EMAIL_OR_PASSWORD: "wrong email or password",
  INVALID_PASSWORD: "wrong password",
  EMAIL_NOT_VERIFIED: "email address not confirmed yet",
  BANNED_USER: "account banned",
  TOO_MANY_REQUESTS: "too many attempts",
  "429": "too many attempts",
};

const text = (value: unknown): string | null => (typeof value === "string" && value.trim() ? value : null);

/** "sign-in-failed" → "Sign in failed": a type this list does not know yet still reads as words. */
function fallback(type: string): string {
  const words = type.replace(/[-_]+/g, " ").trim();
  return words ? `${words[0]?.toUpperCase()}${words.slice(1)}` : "Account event";
}

function dateOf(value: unknown): string | null {
  const iso = text(value);
  const date = iso ? new Date(iso) : null;
  return date && !Number.isNaN(date.getTime()) ? date.toLocaleDateString("en", { dateStyle: "medium" }) : null;
}

/**
 * One event as a sentence and its details. `viewerId` is whoever reads the list: an action they took is "by you";
 * one by anyone else is by its actor's name when the list has it (administrators' view), else "by an administrator".
 */
export function describeAuthEvent(event: EventLike, viewerId?: string): { summary: string; details: string[] } {
  const detail = (event.detail && typeof event.detail === "object" ? event.detail : {}) as Record<string, unknown>;
  let summary = WHAT[event.type] ?? fallback(event.type);
  if (event.type === "role-changed") {
    if (detail.role === "admin") summary = "Made an administrator";
    if (detail.role === "user") summary = "Made a user (no longer an administrator)";
  }
  const by = text(detail.by);
  if (by) summary += by === viewerId ? " by you" : ` by ${text(event.actorName) ?? "an administrator"}`;

  const details: string[] = [];
  const reason = text(detail.reason);
  if (reason) {
    details.push(
      event.type === "sign-in-failed" ? (FAILURE_REASONS[reason] ?? fallback(reason.toLowerCase())) : `“${reason}”`,
    );
  }
  for (const key of ["method", "secondFactor"]) {
    const method = text(detail[key]);
    if (method && METHODS[method]) details.push(METHODS[method]);
  }
  const until = dateOf(detail.expiresAt);
  if (until) details.push(`until ${until}`);
  if (typeof detail.failures === "number" && detail.failures > 0) {
    details.push(`after ${detail.failures} wrong password${detail.failures === 1 ? "" : "s"}`);
  }
  return { summary, details };
}
