// Reading the mail the app sent in this test run (through the real SMTP capture of the global setup).
import { inject } from "vitest";
import { type CapturedMail, linkIn, waitForMail } from "@/test/mail-capture";

export function mailTo(to: string, subject: RegExp): Promise<CapturedMail> {
  return waitForMail(inject("mailApiUrl"), to.toLowerCase(), subject);
}

/** The `nth` mail to `to` whose subject matches, once it has come. */
export function nthMailTo(to: string, subject: RegExp, nth: number): Promise<CapturedMail> {
  return waitForMail(inject("mailApiUrl"), to.toLowerCase(), subject, { nth });
}

export { linkIn };
