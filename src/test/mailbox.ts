// Reading the mail the app sent in this test run (through the real SMTP capture of the global setup).
import { inject } from "vitest";
import { type CapturedMail, linkIn, waitForMail } from "@/test/mail-capture";

export function mailTo(to: string, subject: RegExp): Promise<CapturedMail> {
  return waitForMail(inject("mailApiUrl"), to.toLowerCase(), subject);
}

/** Waits until `count` mails to `to` match `subject`, and returns the newest. */
export async function nthMailTo(to: string, subject: RegExp, count: number): Promise<CapturedMail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mails = (await (await fetch(`${inject("mailApiUrl")}/?to=${encodeURIComponent(to.toLowerCase())}`)).json()) as CapturedMail[];
    const matching = mails.filter((mail) => subject.test(mail.subject));
    if (matching.length >= count) return matching[count - 1] as CapturedMail;
    if (Date.now() > deadline) throw new Error(`Fewer than ${count} mails to ${to} matching ${subject}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export { linkIn };
