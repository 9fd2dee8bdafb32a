// The account emails: short, plain text with a simple HTML twin. The only user text in them is the name in the
// greeting, and anyone can sign up with anyone's address: so it stays inside its line and never reads as a link.
import { asOneLine } from "@/lib/validation/one-line";

const APP_NAME = "Taskforge";
const GREETING_NAME_MAX = 60;

/** Something a mail client could turn into a link or an address: a scheme, a slash, an @, a domain-like dot. */
const LINK_LIKE = /[:/\\@<>]|\.\p{L}{2}|www\./iu;

/** "Hello <name>," with the name on one line and bounded; just "Hello," when the name reads like a link. */
export function greeting(name: string): string {
  const line = Array.from(asOneLine(name)).slice(0, GREETING_NAME_MAX).join("").trim();
  return line && !LINK_LIKE.test(line) ? `Hello ${line},` : "Hello,";
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A rendered mail; `template` names the kind (the outbox and the admin view show it; the text may hold credentials). */
export type Mail = { to: string; template: string; subject: string; text: string; html: string };

function compose(
  template: string,
  to: string,
  subject: string,
  paragraphs: string[],
  action?: { label: string; url: string },
): Mail {
  const text = [...paragraphs, ...(action ? [`${action.label}: ${action.url}`] : []), `— ${APP_NAME}`].join("\n\n");
  const html = [
    ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    action ? `<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>` : "",
    `<p>— ${APP_NAME}</p>`,
  ].join("\n");
  return { to, template, subject: `${APP_NAME}: ${subject}`, text, html };
}

export const messages = {
  organizationInvitation: (to: string, inviterName: string, organizationName: string, role: string, url: string) =>
    compose(
      "organization-invitation",
      to,
      `join ${organizationName}`,
      [
        "Hello,",
        `${inviterName} invites you to the organization ${organizationName} as ${role}. The invitation is valid for 7 days.`,
        "Sign in with this address (or create an account with it and confirm it) to accept. If you do not know the sender, ignore this message.",
      ],
      { label: "See the invitation", url },
    ),
  verifyEmail: (to: string, name: string, url: string) =>
    compose(
      "verify-email",
      to,
      "confirm your email address",
      [
        greeting(name),
        "Confirm your email address to finish creating your account. The link is valid for 24 hours.",
        "If you did not sign up, ignore this message; or open the link and choose a password of your own: it replaces any password the account was made with.",
      ],
      { label: "Confirm my email", url },
    ),
  resetPassword: (to: string, name: string, url: string) =>
    compose(
      "reset-password",
      to,
      "reset your password",
      [
        greeting(name),
        "Someone asked to reset the password of your account. The link works once, within the next hour.",
        "If it was not you, ignore this message: your password stays as it is.",
      ],
      { label: "Choose a new password", url },
    ),
  existingAccount: (to: string, name: string, signInUrl: string, resetUrl: string) =>
    compose(
      "existing-account",
      to,
      "someone tried to sign up with your email",
      [
        greeting(name),
        "Someone tried to create an account with this email address, which already has one. Nothing was changed.",
        `If it was you, sign in at ${signInUrl}. If you forgot your password, you can reset it.`,
      ],
      { label: "Reset my password", url: resetUrl },
    ),
  magicLink: (to: string, name: string, url: string) =>
    compose(
      "magic-link",
      to,
      "your sign-in link",
      [
        greeting(name),
        "Someone asked to sign in to your account with a link by email. The link works once, within the next 10 minutes.",
        "If it was not you, ignore this message: nobody can sign in without opening it.",
      ],
      { label: "Sign in", url },
    ),
  confirmNewEmail: (to: string, name: string, url: string) =>
    compose(
      "confirm-new-email",
      to,
      "confirm your new email address",
      [
        greeting(name),
        "Someone asked to use this address for their account. Confirm it to make it the account's address; until then, nothing changes. The link is valid for 24 hours.",
        "If it was not you, ignore this message.",
      ],
      { label: "Confirm my new address", url },
    ),
  emailChanged: (to: string, name: string, newAddress: string) =>
    compose("email-changed", to, "your email address was changed", [
      greeting(name),
      `The email address of your account was changed to ${newAddress}. Mail about the account now goes there, and you sign in with it.`,
      "If this was not you, reply to this message at once: we can give the account back to this address. Your sessions were not signed out.",
    ]),
  newDevice: (to: string, name: string, sign: { device: string; when: string; network: string | null }) =>
    notice("new-device", to, name, "a sign-in from a new device", [
      `Your account was signed in to from a device it had not been used on before: ${sign.device}, ${sign.when}${sign.network ? `, from a network address starting ${sign.network}` : ""}.`,
      "If it was you, there is nothing to do. You can see and sign out every device in Settings, under Sessions.",
    ]),
  passwordChanged: (to: string, name: string) =>
    notice("password-changed", to, name, "your password was changed", [
      "The password of your account was changed, and every other device was signed out.",
    ]),
  twoFactorEnabled: (to: string, name: string) =>
    notice("two-factor-enabled", to, name, "two-factor authentication is on", [
      "Two-factor authentication is now on for your account: signing in asks for a code from your authenticator app.",
      "Keep your backup codes somewhere safe: each one signs you in once if you lose your phone.",
    ]),
  twoFactorDisabled: (to: string, name: string) =>
    notice("two-factor-disabled", to, name, "two-factor authentication is off", [
      "Two-factor authentication was turned off for your account: signing in now needs only your password.",
    ]),
  backupCodesRegenerated: (to: string, name: string) =>
    notice("backup-codes-regenerated", to, name, "new backup codes", [
      "New backup codes were made for your account. The old ones no longer work.",
    ]),
  twoFactorReset: (to: string, name: string) =>
    notice("two-factor-reset", to, name, "two-factor authentication was reset", [
      "An administrator turned off two-factor authentication for your account, as asked. Your trusted devices were forgotten.",
      "Turn it on again in Settings with your authenticator app.",
    ]),
  passkeyAdded: (to: string, name: string, passkeyName: string) =>
    notice("passkey-added", to, name, "a passkey was added", [
      `A passkey named "${passkeyName}" was added to your account: it signs in without your password or a code.`,
    ]),
  passkeyRemoved: (to: string, name: string, passkeyName: string) =>
    notice("passkey-removed", to, name, "a passkey was removed", [
      `The passkey named "${passkeyName}" was removed from your account: it no longer signs in.`,
    ]),
};

/** A security notice: what changed, and what to do when it was not the owner. */
function notice(template: string, to: string, name: string, subject: string, paragraphs: string[]): Mail {
  return compose(template, to, subject, [
    greeting(name),
    ...paragraphs,
    "If this was not you, reset your password at once and contact support: someone may have access to your account.",
  ]);
}
