// Delivering one mail now, for the outbox worker (nothing else sends): SMTP when SMTP_URL is set; otherwise, in
// development only, the mail is written to the log (one line: recipient, subject, its links and its text) with the
// id of the request that caused it.
import nodemailer from "nodemailer";
import { env } from "@/env";
import type { Mail } from "@/server/email/messages";
import { type Logger, logger } from "@/server/logger";

/** A mail that cannot be sent however often it is tried (no SMTP_URL outside development). */
export class Undeliverable extends Error {}

/**
 * A mail server that does not answer fails the attempt within seconds (nodemailer waits minutes by default) and the
 * outbox tries again later; values set in SMTP_URL's query string win.
 */
function withTimeouts(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  const timeouts = { connectionTimeout: "10000", greetingTimeout: "10000", socketTimeout: "30000" };
  for (const [name, value] of Object.entries(timeouts)) {
    if (!url.searchParams.has(name)) url.searchParams.set(name, value);
  }
  return url.toString();
}

const transport = env.SMTP_URL ? nodemailer.createTransport(withTimeouts(env.SMTP_URL)) : null;

export async function deliverMail(mail: Mail, { log = logger }: { log?: Logger } = {}): Promise<void> {
  if (transport) {
    await transport.sendMail({
      from: env.EMAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    });
    return;
  }
  const fields = { mail: { to: mail.to, subject: mail.subject } };
  if (env.NODE_ENV !== "development") {
    // Links in mail are credentials: only a developer's own log may show them.
    throw new Undeliverable("SMTP_URL is not set: a message was not sent");
  }
  const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
  const summary = `mail to ${mail.to}: ${mail.subject} ${links.join(" ")}`;
  log.info({ mail: { ...fields.mail, links, text: mail.text } }, summary);
}
