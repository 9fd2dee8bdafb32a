// A local SMTP server that keeps every message as a file, and the reader the specs use to find links in them.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { MAIL_DIR } from "./env";

export function startMailCapture(port: number): Promise<SMTPServer> {
  mkdirSync(MAIL_DIR, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address).join(",");
        writeFileSync(
          path.join(MAIL_DIR, `${Date.now()}-${++count}.eml`),
          `X-Envelope-To: ${to}\r\n${Buffer.concat(chunks)}`,
        );
        callback();
      });
    },
  });
  // A sender that goes away mid-connection (the server stopping) resets it: no reason to stop the run.
  server.on("error", () => undefined);
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

/** Quoted-printable soft breaks and escapes, so links read whole. */
function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Waits for a message to `to` whose subject contains `subject`, and returns the first link in it. */
export async function waitForLink(to: string, subject: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const files = readdirSync(MAIL_DIR).sort().reverse();
    for (const file of files) {
      const message = decodeQuotedPrintable(readFileSync(path.join(MAIL_DIR, file), "utf8"));
      if (!message.startsWith(`X-Envelope-To: ${to}`) || !message.includes(subject)) continue;
      const link = message.match(/https?:\/\/[^\s"<>]+/)?.[0];
      if (link) return link.replace(/&amp;/g, "&");
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`No mail to ${to} about "${subject}" within ${timeoutMs} ms`);
}
