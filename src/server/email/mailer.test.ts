// Without SMTP_URL, development writes each mail to the log: the link must be there to click, and the line must
// name the request that sent the mail. Anywhere else, links in mail are credentials that never reach the log.
import { afterAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  delete process.env.SMTP_URL;
  Object.assign(process.env, { NODE_ENV: "development" });
  process.env.LOG_LEVEL = "info";
});

import { authRequest } from "@/test/http";
import { captureLogs, type LogLine } from "@/test/logs";

const logs = captureLogs();
afterAll(() => logs.stop());

async function lineAbout(email: string): Promise<LogLine> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const line = logs.lines().find((entry) => (entry.mail as { to?: string } | undefined)?.to === email);
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail to ${email} in the log`);
}

describe("mail without SMTP_URL", () => {
  it("is written to the log with its link, by the logger of the request that sent it", async () => {
    const email = `mail-${Date.now()}@example.com`;
    const response = await authRequest("/sign-up/email", {
      body: { name: "Mail Reader", email, password: "quiet-meadow-falcon-63" },
      headers: { "x-request-id": "sign-up-with-mail" },
    });
    expect(response.status).toBe(200);
    const line = await lineAbout(email);
    expect(line).toMatchObject({
      level: "info",
      requestId: "sign-up-with-mail",
      mail: { to: email, subject: "Taskforge: confirm your email address" },
    });
    const [link] = (line.mail as { links: string[] }).links;
    expect(link).toMatch(/^http:\/\/localhost:3000\/verify-email\?token=[\w.-]+$/);
    expect(line.msg).toContain(link);
  });
});

describe("mail without SMTP_URL outside development", () => {
  it("is undeliverable, and delivery writes nothing of it to the log (the outbox logs that it was given up)", async () => {
    vi.resetModules();
    vi.stubEnv("NODE_ENV", "test");
    try {
      const { deliverMail, Undeliverable } = await import("@/server/email/mailer");
      const before = logs.raw.length;
      const link = "http://localhost:3000/api/auth/reset-password/secret-token-in-the-path-123?callbackURL=%2F";
      const delivery = deliverMail({
        to: "quiet@example.com",
        template: "reset-password",
        subject: "Taskforge: reset",
        text: `Reset: ${link}`,
        html: `<a href="${link}">x</a>`,
      });
      await expect(delivery).rejects.toBeInstanceOf(Undeliverable);
      expect(logs.raw.slice(before).join("")).not.toContain("secret-token-in-the-path-123");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
