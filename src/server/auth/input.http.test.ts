// Bad input to Better Auth's endpoints: text the database cannot store is a 400 naming the field (not a 500, not
// silently changed), bodies are capped, and arbitrary bodies to every form endpoint never get a 5xx.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { authRequest, nextClientIp } from "@/test/http";
import { STRONG_PASSWORD, createUser, signIn } from "@/test/fixtures";
import { anyString, junkInput, propertyParameters, propertyTimeout, textNear } from "@/test/input-arbitraries";

async function errorOf(response: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await response.json()) as { code: string; message: string };
  return { status: response.status, code: body.code, message: body.message };
}

describe("an email address is at most 254 characters at every endpoint that takes one", () => {
  const tooLong = `${"a".repeat(64)}@${"b".repeat(9_000)}.example.com`;

  it.each([
    ["sign-up", "/sign-up/email", { email: tooLong, password: STRONG_PASSWORD, name: "Long" }, "body.email"],
    ["sign-in", "/sign-in/email", { email: tooLong, password: STRONG_PASSWORD }, "body.email"],
    [
      "password reset request",
      "/request-password-reset",
      { email: tooLong, redirectTo: "/reset-password" },
      "body.email",
    ],
    ["verification mail", "/send-verification-email", { email: tooLong }, "body.email"],
    [
      "sign-up, one past the limit",
      "/sign-up/email",
      { email: "x".repeat(243) + "@example.com", password: STRONG_PASSWORD, name: "L" },
      "body.email",
    ],
  ])("%s: 400 naming the field, and nothing written", async (_, path, body, field) => {
    const users = await db.user.count();
    const error = await errorOf(await authRequest(path, { body, ip: nextClientIp() }));
    expect(error).toMatchObject({
      status: 400,
      code: "VALIDATION_ERROR",
      message: `[${field}] Email is at most 254 characters`,
    });
    expect(await db.user.count()).toBe(users);
  });

  it("a change of email is held to it too", async () => {
    const { headers } = await signIn(await createUser());
    const response = await authRequest("/change-email", {
      body: { newEmail: tooLong },
      headers: { cookie: headers.get("cookie") ?? "" },
      ip: nextClientIp(),
    });
    expect(await errorOf(response)).toMatchObject({
      status: 400,
      code: "VALIDATION_ERROR",
      message: expect.stringContaining("[body.newEmail]"),
    });
  });

  it("an address of exactly 254 characters signs up", async () => {
    const email = `${"a".repeat(64)}@${["b".repeat(63), "c".repeat(63), "d".repeat(49)].join(".")}.example.com`;
    expect(email).toHaveLength(254);
    const response = await authRequest("/sign-up/email", {
      body: { email, password: STRONG_PASSWORD, name: "Long" },
      ip: nextClientIp(),
    });
    expect(response.status).toBe(200);
  });
});

describe("a name is one line", () => {
  const INJECTED = "Carol.\n\nSECURITY ALERT: your account was compromised. Secure it now at https://evil.example/x";

  it.each([
    ["line breaks", INJECTED],
    ["a carriage return", "Carol\rSmith"],
    ["a tab", "Carol\tSmith"],
    ["a line separator", "Carol\u2028Smith"],
    ["a paragraph separator", "Carol\u2029Smith"],
    ["a right-to-left override", "Carol\u202Eexe.txt"],
    ["a C1 control", "Carol\u0085Smith"],
  ])("sign-up refuses a name with %s: 400 naming the field, and no account", async (_, name) => {
    const email = `one-line-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
    const error = await errorOf(
      await authRequest("/sign-up/email", { body: { email, password: STRONG_PASSWORD, name }, ip: nextClientIp() }),
    );
    expect(error).toMatchObject({
      status: 400,
      code: "VALIDATION_ERROR",
      message: expect.stringContaining("[body.name]"),
    });
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("update-user refuses one and keeps the name", async () => {
    const user = await createUser({ name: "Steady Name" });
    const { headers } = await signIn(user);
    const response = await authRequest("/update-user", {
      body: { name: INJECTED },
      headers: { cookie: headers.get("cookie") ?? "" },
      ip: nextClientIp(),
    });
    expect(await errorOf(response)).toMatchObject({
      status: 400,
      code: "VALIDATION_ERROR",
      message: expect.stringContaining("[body.name]"),
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe("Steady Name");
  });

  it("line breaks at the ends are trimmed like spaces", async () => {
    const user = await createUser();
    const { headers } = await signIn(user);
    const response = await authRequest("/update-user", {
      body: { name: "\n Ada Lovelace \r\n" },
      headers: { cookie: headers.get("cookie") ?? "" },
      ip: nextClientIp(),
    });
    expect(response.status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe("Ada Lovelace");
  });
});

describe("auth input the database cannot store", () => {
  it.each([
    [
      "sign-in, NUL in the email",
      "/sign-in/email",
      { email: "a\u0000@example.com", password: "whatever-password" },
      "body.email",
    ],
    [
      "sign-up, NUL in the email",
      "/sign-up/email",
      { email: "b\u0000@example.com", password: STRONG_PASSWORD, name: "B" },
      "body.email",
    ],
    [
      "sign-up, NUL in the name",
      "/sign-up/email",
      { email: "nul-name@example.com", password: STRONG_PASSWORD, name: "x\u0000" },
      "body.name",
    ],
    [
      "sign-up, a lone surrogate in the name",
      "/sign-up/email",
      { email: "lone@example.com", password: STRONG_PASSWORD, name: "x\uD800" },
      "body.name",
    ],
    [
      "password reset request, NUL in the email",
      "/request-password-reset",
      { email: "d\u0000@example.com", redirectTo: "/reset-password" },
      "body.email",
    ],
  ])("%s: 400 naming the field, and nothing written", async (_, path, body, field) => {
    const users = await db.user.count();
    const events = await db.authEvent.count();
    const response = await authRequest(path, { body, ip: nextClientIp() });
    const error = await errorOf(response);
    expect(error).toMatchObject({ status: 400, code: "VALIDATION_ERROR" });
    expect(error.message).toContain(`[${field}]`);
    expect(response.headers.get("x-request-id")).toBeTruthy();
    expect(await db.user.count()).toBe(users);
    expect(await db.authEvent.count()).toBe(events);
  });

  it("checks the query string too", async () => {
    const response = await authRequest(`/verify-email?token=${encodeURIComponent("x\u0000")}`);
    expect(await errorOf(response)).toMatchObject({
      status: 400,
      code: "VALIDATION_ERROR",
      message: expect.stringContaining("[query.token]"),
    });
  });

  it("refuses a body past 64 KiB unread with 413", async () => {
    const response = await authRequest("/sign-in/email", {
      body: { email: "big@example.com", password: "x".repeat(70_000) },
      ip: nextClientIp(),
    });
    expect(await errorOf(response)).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
  });

  it("passes a good body on: sign-in still works", async () => {
    const user = await createUser();
    const response = await authRequest("/sign-in/email", {
      body: { email: user.email, password: user.password },
      ip: nextClientIp(),
    });
    expect(response.status).toBe(200);
  });
});

/** The form endpoints and what each expects, near-valid or junk. */
const email = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9.]{1,12}$/).map((name) => `${name}@example.com`) },
  fc.emailAddress(),
  textNear(254),
);
const password = fc.oneof(fc.constant(STRONG_PASSWORD), textNear(128));
const endpoints: [string, fc.Arbitrary<unknown>][] = [
  [
    "/sign-in/email",
    fc.record(
      { email, password, rememberMe: fc.oneof({ weight: 4, arbitrary: fc.boolean() }, junkInput) },
      { requiredKeys: [] },
    ),
  ],
  ["/sign-up/email", fc.record({ email, password, name: textNear(100), role: anyString }, { requiredKeys: [] })],
  [
    "/request-password-reset",
    fc.record({ email, redirectTo: fc.oneof(fc.constant("/reset-password"), anyString) }, { requiredKeys: [] }),
  ],
  ["/reset-password", fc.record({ token: anyString, newPassword: password }, { requiredKeys: [] })],
  [
    "/change-password",
    fc.record(
      { currentPassword: password, newPassword: password, revokeOtherSessions: fc.boolean() },
      { requiredKeys: [] },
    ),
  ],
  [
    "/update-user",
    fc.record({ name: textNear(100), role: anyString, emailVerified: fc.boolean() }, { requiredKeys: [] }),
  ],
  ["/revoke-session", fc.record({ token: anyString }, { requiredKeys: [] })],
  ["/send-verification-email", fc.record({ email }, { requiredKeys: [] })],
  ["/sign-out", junkInput],
];

const RUNS = 150;

describe("any body to any auth form", () => {
  it(
    "never a 5xx, always a request id",
    async () => {
      const user = await createUser();
      await fc.assert(
        fc.asyncProperty(
          fc
            .constantFrom(...endpoints)
            .chain(([path, body]) => fc.tuple(fc.constant(path), fc.oneof({ weight: 4, arbitrary: body }, junkInput))),
          fc.boolean(),
          async ([path, body], signedIn) => {
            let text: string;
            try {
              text =
                JSON.stringify(body, (_, value: unknown) => (typeof value === "bigint" ? value.toString() : value)) ??
                "null";
            } catch {
              text = "[]"; // too deep for this process to serialise
            }
            // A new session each time: sign-out, a password change or a revoke may have ended the last one.
            const cookie = signedIn ? (await signIn(user)).headers.get("cookie") : null;
            const response = await authRequest(path, {
              method: "POST",
              body: JSON.parse(text) as unknown,
              headers: cookie ? { cookie } : {},
              ip: nextClientIp(),
            });
            expect(response.status, `${path}: ${await response.clone().text()}`).toBeLessThan(500);
            expect(response.headers.get("x-request-id")).toBeTruthy();
          },
        ),
        propertyParameters(RUNS),
      );
    },
    // A valid sign-up or reset request waits for its answer-time floor (up to 600 ms).
    propertyTimeout(RUNS, 800),
  );
});
