// The account emails: short, plain text with a simple HTML twin.
import type { Mail } from "@/server/email/mailer";

const APP_NAME = "Taskforge";

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function compose(to: string, subject: string, paragraphs: string[], action?: { label: string; url: string }): Mail {
  const text = [...paragraphs, ...(action ? [`${action.label}: ${action.url}`] : []), `— ${APP_NAME}`].join("\n\n");
  const html = [
    ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    action ? `<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>` : "",
    `<p>— ${APP_NAME}</p>`,
  ].join("\n");
  return { to, subject: `${APP_NAME}: ${subject}`, text, html };
}

export const messages = {
  verifyEmail: (to: string, name: string, url: string) =>
    compose(
      to,
      "confirm your email address",
      [`Hello ${name},`, "Confirm your email address to finish creating your account. The link is valid for 24 hours."],
      { label: "Confirm my email", url },
    ),
  resetPassword: (to: string, name: string, url: string) =>
    compose(
      to,
      "reset your password",
      [
        `Hello ${name},`,
        "Someone asked to reset the password of your account. The link works once, within the next hour.",
        "If it was not you, ignore this message: your password stays as it is.",
      ],
      { label: "Choose a new password", url },
    ),
  existingAccount: (to: string, name: string, signInUrl: string, resetUrl: string) =>
    compose(
      to,
      "someone tried to sign up with your email",
      [
        `Hello ${name},`,
        "Someone tried to create an account with this email address, which already has one. Nothing was changed.",
        `If it was you, sign in at ${signInUrl}. If you forgot your password, you can reset it.`,
      ],
      { label: "Reset my password", url: resetUrl },
    ),
};
