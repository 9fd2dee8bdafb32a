// A real SMTP server that keeps what it receives, with a small HTTP API to read it (for tests and e2e runs).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type CapturedMail = { to: string[]; subject: string; text: string; html: string };

/**
 * `delayMs` makes the server take that long to accept each message, as a slow or distant mail server does.
 * `stopSmtp()` closes the SMTP port (connections are refused, as by a mail server that is down) and `startSmtp()`
 * opens it again on the same port; what was received is kept.
 */
export async function startMailCapture({ delayMs = 0 } = {}): Promise<{
  smtpUrl: string;
  apiUrl: string;
  stopSmtp: () => Promise<void>;
  startSmtp: () => Promise<void>;
  close: () => Promise<void>;
}> {
  const messages: CapturedMail[] = [];
  const createSmtp = () => {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData(stream, _session, done) {
        simpleParser(stream)
          .then((mail) => {
            const to = [mail.to ?? []].flat().flatMap((address) => address.value.map((entry) => entry.address ?? ""));
            messages.push({ to, subject: mail.subject ?? "", text: mail.text ?? "", html: mail.html || "" });
            setTimeout(done, delayMs);
          })
          .catch(done);
      },
    });
    // A sender that goes away mid-connection (a test's app closing its mailer) resets it: no reason to stop the run.
    server.on("error", () => undefined);
    return server;
  };
  const port = (server: { address(): AddressInfo | string | null }) => (server.address() as AddressInfo).port;
  let smtp: SMTPServer | null = createSmtp();
  await new Promise<void>((resolve) => smtp?.listen(0, "127.0.0.1", resolve));
  const smtpPort = port(smtp.server);
  const stopSmtp = async () => {
    const closing = smtp;
    smtp = null;
    if (closing) await new Promise<void>((resolve) => closing.close(resolve));
  };
  const startSmtp = async () => {
    if (smtp) return;
    const opened = createSmtp();
    await new Promise<void>((resolve) => opened.listen(smtpPort, "127.0.0.1", resolve));
    smtp = opened;
  };
  const api = http.createServer((req, res) => {
    const to = new URL(req.url ?? "/", "http://localhost").searchParams.get("to")?.toLowerCase();
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(messages.filter((mail) => !to || mail.to.includes(to))));
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    apiUrl: `http://127.0.0.1:${port(api)}`,
    stopSmtp,
    startSmtp,
    close: async () => {
      await new Promise<void>((resolve) => api.close(() => resolve()));
      await stopSmtp();
    },
  };
}

/** Waits for mail to `to` whose subject matches, and returns the newest (or, with `nth`, the nth once it came). */
export async function waitForMail(
  apiUrl: string,
  to: string,
  subject: RegExp,
  { nth, timeoutMs = 10_000 }: { nth?: number; timeoutMs?: number } = {},
): Promise<CapturedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = (await (await fetch(`${apiUrl}/?to=${encodeURIComponent(to)}`)).json()) as CapturedMail[];
    const matching = mails.filter((mail) => subject.test(mail.subject));
    const match = nth === undefined ? matching.at(-1) : matching[nth - 1];
    if (match) return match;
    if (Date.now() > deadline)
      throw new Error(`No mail ${nth ?? ""} to ${to} matching ${subject} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The first link in a mail's text that starts with `prefix`. */
export function linkIn(mail: CapturedMail, prefix: string): string {
  const link = mail.text.match(/https?:\/\/\S+/g)?.find((url) => url.startsWith(prefix));
  if (!link) throw new Error(`No link starting with ${prefix} in mail "${mail.subject}"`);
  return link;
}
