// Outgoing mail: SMTP when SMTP_URL is set; otherwise, in development only, each message is written to the log
// (one line: recipient, subject, its links and its text), with the id of the request that sent it.
import nodemailer from "nodemailer";
import { env } from "@/env";
import { requestLogger } from "@/server/request-logger";

export type Mail = { to: string; subject: string; text: string; html: string };

const transport = env.SMTP_URL ? nodemailer.createTransport(env.SMTP_URL) : null;

export async function sendMail(mail: Mail): Promise<void> {
  if (transport) {
    await transport.sendMail({ from: env.EMAIL_FROM, ...mail });
    return;
  }
  // Mail is sent from inside Better Auth's endpoints, whose logger knows the request.
  const log = requestLogger();
  const fields = { mail: { to: mail.to, subject: mail.subject } };
  if (env.NODE_ENV !== "development") {
    // Links in mail are credentials: only a developer's own log may show them.
    log.error(fields, "SMTP_URL is not set: a message was not sent");
    return;
  }
  const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
  const summary = `mail to ${mail.to}: ${mail.subject} ${links.join(" ")}`;
  log.info({ mail: { ...fields.mail, links, text: mail.text } }, summary);
}
