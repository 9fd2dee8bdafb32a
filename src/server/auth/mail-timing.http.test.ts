// No answer reveals an account by its time: mail goes out after the response, so a slow mail server makes the
// answer for an address with an account no slower than for one without.
import { afterAll, describe, expect, it, vi } from "vitest";
import { createUser, STRONG_PASSWORD } from "@/test/fixtures";
import { authRequest, nextClientIp } from "@/test/http";
import { waitForMail } from "@/test/mail-capture";

const SMTP_DELAY_MS = 700;

// Before the app's modules load: they read SMTP_URL once.
const slowSmtp = await vi.hoisted(async () => {
  const { startMailCapture } = await import("@/test/mail-capture");
  const capture = await startMailCapture({ delayMs: 700 });
  process.env.SMTP_URL = capture.smtpUrl;
  return capture;
});
afterAll(() => slowSmtp.close());

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function timed(path: string, body: Record<string, unknown>): Promise<number> {
  const started = performance.now();
  const response = await authRequest(path, { body, ip: nextClientIp() });
  expect(response.status).toBe(200);
  return performance.now() - started;
}

/** Medians of alternating requests for an address with an account and for addresses without one. */
async function mediansFor(path: string, known: string, body: (email: string) => Record<string, unknown>) {
  const withAccount: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < 5; i++) {
    withAccount.push(await timed(path, body(known)));
    without.push(await timed(path, body(`nobody-${i}-${Date.now()}@example.com`)));
  }
  return { withAccount: median(withAccount), without: median(without) };
}

describe("answers that mail only when an account exists", () => {
  it(`password reset: the same time whether or not the email has an account, with a mail server taking ${SMTP_DELAY_MS} ms`, async () => {
    const user = await createUser();
    const { withAccount, without } = await mediansFor("/request-password-reset", user.email, (email) => ({
      email,
      redirectTo: "/reset-password",
    }));
    expect(Math.abs(withAccount - without)).toBeLessThan(SMTP_DELAY_MS / 4);
    // The mail still goes out, after the answer.
    await waitForMail(slowSmtp.apiUrl, user.email, /reset your password/);
  });

  it("confirmation mail: the same time for an unconfirmed account as for no account", async () => {
    const email = `unconfirmed-${Date.now()}@example.com`;
    await authRequest("/sign-up/email", {
      body: { email, name: "Una", password: STRONG_PASSWORD },
      ip: nextClientIp(),
    });
    const { withAccount, without } = await mediansFor("/send-verification-email", email, (address) => ({
      email: address,
    }));
    expect(Math.abs(withAccount - without)).toBeLessThan(SMTP_DELAY_MS / 4);
    await waitForMail(slowSmtp.apiUrl, email, /confirm your email/, { nth: 2 });
  });
});
