// No answer reveals an account by its time: a mail is queued in the outbox and sent by its worker, so a slow mail
// server makes the answer for an address with an account no slower than for one without. Were a mail sent inline
// again, the answer with an account would take the mail server's 700 ms longer, far past the ratio allowed here.
import { afterAll, describe, expect, it, vi } from "vitest";
import { createUser, STRONG_PASSWORD } from "@/test/fixtures";
import { authRequest, nextClientIp } from "@/test/http";
import { waitForMail } from "@/test/mail-capture";

const SMTP_DELAY_MS = 700;
const SAMPLES = 9;
/** The slower median may be at most this many times the faster one. */
const MAX_RATIO = 1.5;

// Before the app's modules load: they read SMTP_URL once.
const slowSmtp = await vi.hoisted(async () => {
  const { startMailCapture } = await import("@/test/mail-capture");
  const capture = await startMailCapture({ delayMs: 700 });
  process.env.SMTP_URL = capture.smtpUrl;
  return capture;
});
afterAll(() => slowSmtp.close());

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function timed(path: string, body: Record<string, unknown>, status: number): Promise<number> {
  const started = performance.now();
  const response = await authRequest(path, { body, ip: nextClientIp() });
  const elapsed = performance.now() - started;
  expect(response.status).toBe(status);
  return elapsed;
}

type Case = { body: Record<string, unknown>; status: number };

/** Alternating requests of two kinds; `known(i)` and `unknown(i)` give the i-th of each. Returns both medians. */
async function medians(path: string, known: (i: number) => Case, unknown: (i: number) => Case) {
  const withAccount: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const [a, b] = [known(i), unknown(i)];
    withAccount.push(await timed(path, a.body, a.status));
    without.push(await timed(path, b.body, b.status));
  }
  return [median(withAccount), median(without)] as const;
}

/** Requests for an address with an account and for addresses without one: medians within MAX_RATIO of each other. */
async function expectSameTime(path: string, known: (i: number) => Case, unknown: (i: number) => Case) {
  const [withAccount, without] = await medians(path, known, unknown);
  const [slow, fast] = [Math.max(withAccount, without), Math.min(withAccount, without)];
  expect(
    slow / fast,
    `medians ${withAccount.toFixed(0)} ms with an account, ${without.toFixed(0)} ms without`,
  ).toBeLessThan(MAX_RATIO);
}

const nobody = (label: string, i: number) => `nobody-${label}-${i}-${Date.now()}@example.com`;

describe(`answers that mail only when an account exists, with a mail server taking ${SMTP_DELAY_MS} ms`, () => {
  it("sign-up: the same time with a taken email (the owner is mailed) as with a new one", async () => {
    const user = await createUser();
    await expectSameTime(
      "/sign-up/email",
      () => ({ body: { email: user.email, name: "Someone", password: STRONG_PASSWORD }, status: 200 }),
      (i) => ({ body: { email: nobody("sign-up", i), name: "Someone", password: STRONG_PASSWORD }, status: 200 }),
    );
    await waitForMail(slowSmtp.apiUrl, user.email, /someone tried to sign up/);
  });

  it("sign-in of an unconfirmed account (the confirmation link is mailed again): no slower than a wrong password", async () => {
    // Only the right password reaches the mail (and its 403 says the account exists); without it, the answer is the
    // 401 of any wrong password. The mailing answer does more work of its own (a new token, the outbox row), so no
    // ratio is asked of it; what must not show is the mail server, whose delay would come on top of a wrong one's.
    const email = `unconfirmed-sign-in-${Date.now()}@example.com`;
    await authRequest("/sign-up/email", {
      body: { email, name: "Una", password: STRONG_PASSWORD },
      ip: nextClientIp(),
    });
    const [mailing, wrong] = await medians(
      "/sign-in/email",
      () => ({ body: { email, password: STRONG_PASSWORD }, status: 403 }),
      (i) => ({ body: { email, password: `wrong-${i}-${STRONG_PASSWORD}` }, status: 401 }),
    );
    expect(mailing - wrong, `medians ${mailing.toFixed(0)} ms mailing, ${wrong.toFixed(0)} ms wrong`).toBeLessThan(
      SMTP_DELAY_MS / 2,
    );
    await waitForMail(slowSmtp.apiUrl, email, /confirm your email/, { nth: 2 });
  });

  it("password reset: the same time whether or not the email has an account", async () => {
    const user = await createUser();
    await expectSameTime(
      "/request-password-reset",
      () => ({ body: { email: user.email, redirectTo: "/reset-password" }, status: 200 }),
      (i) => ({ body: { email: nobody("reset", i), redirectTo: "/reset-password" }, status: 200 }),
    );
    await waitForMail(slowSmtp.apiUrl, user.email, /reset your password/);
  });

  it("sign-in link: the same time whether or not the email has an account", async () => {
    const user = await createUser();
    await expectSameTime(
      "/sign-in/magic-link",
      () => ({ body: { email: user.email }, status: 200 }),
      (i) => ({ body: { email: nobody("link", i) }, status: 200 }),
    );
    await waitForMail(slowSmtp.apiUrl, user.email, /your sign-in link/);
  });

  it("confirmation mail sent again: the same time for an unconfirmed account as for no account", async () => {
    const email = `unconfirmed-${Date.now()}@example.com`;
    await authRequest("/sign-up/email", {
      body: { email, name: "Una", password: STRONG_PASSWORD },
      ip: nextClientIp(),
    });
    await expectSameTime(
      "/send-verification-email",
      () => ({ body: { email }, status: 200 }),
      (i) => ({ body: { email: nobody("resend", i) }, status: 200 }),
    );
    await waitForMail(slowSmtp.apiUrl, email, /confirm your email/, { nth: 2 });
  });
});
