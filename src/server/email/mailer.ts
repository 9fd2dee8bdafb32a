// Outgoing mail: SMTP when SMTP_URL is set; otherwise, outside production, each message is written to the log.
import nodemailer from "nodemailer";
import { env } from "@/env";

export type Mail = { to: string; subject: string; text: string; html: string };

const transport = env.SMTP_URL ? nodemailer.createTransport(env.SMTP_URL) : null;

export async function sendMail(mail: Mail): Promise<void> {
  if (transport) {
    await transport.sendMail({ from: env.EMAIL_FROM, ...mail });
    return;
  }
  if (env.NODE_ENV === "production") {
    // Links in mail are credentials: never log them in production.
    console.error(`[mail] SMTP_URL is not set; a message "${mail.subject}" to ${mail.to} was not sent.`);
    return;
  }
  console.info(`[mail] To: ${mail.to}\n[mail] Subject: ${mail.subject}\n${mail.text}\n[mail] ---`);
}
