// Throttling over HTTP: per-IP limits (Better Auth) within TRUSTED_PROXY_HOPS, per-account failed sign-ins,
// per-user tRPC mutations; and an unknown email that cannot be told from a wrong password, even by timing.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { auth } from "@/server/auth";
import { db } from "@/server/db";
import { clientIpFrom } from "@/server/http/client-ip";
import { PASSWORD_FAILURE_LIMIT, PASSWORD_FAILURE_WINDOW_MS } from "@/server/auth/password-attempts";
import { STRONG_PASSWORD, codeOf, createTestCaller, createUser, signIn } from "@/test/fixtures";
import { authRequest, nextClientIp } from "@/test/http";

const signInFrom = (email: string, password: string, ip = nextClientIp()) =>
  authRequest("/sign-in/email", { body: { email, password }, ip });

/** A 429 with its Retry-After, in seconds: fails on any other answer, so no assertion reads a header that is not there. */
function retryAfterOf(response: Response): number {
  expect(response.status).toBe(429);
  const header = response.headers.get("retry-after");
  expect(header).toMatch(/^\d+$/);
  return Number(header);
}

describe("client IP", () => {
  it("takes the address TRUSTED_PROXY_HOPS from the right of X-Forwarded-For", () => {
    const headers = new Headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.1, 10.0.0.2" });
    expect(clientIpFrom(headers, 0)).toBe("10.0.0.2");
    expect(clientIpFrom(headers, 1)).toBe("198.51.100.1");
    expect(clientIpFrom(headers, 5)).toBe("6.6.6.6");
    expect(clientIpFrom(new Headers({ "x-forwarded-for": "not-an-ip" }), 0)).toBeNull();
  });

  it("a forged X-Forwarded-For prefix does not escape the per-IP limit (no proxy trusted)", async () => {
    const statuses = [];
    for (let i = 0; i < 11; i++) {
      const response = await authRequest("/sign-in/email", {
        body: { email: `spray-${i}@example.com`, password: "not-the-Password-77" },
        headers: { "x-forwarded-for": `1.2.3.${i}, 203.0.113.250` },
      });
      statuses.push(response.status);
    }
    expect(statuses.at(-1)).toBe(429);
  });
});

describe("stricter per-IP limits on account endpoints", () => {
  /** The limit configured for `path`, so the test follows the configuration. */
  const ruleFor = (path: string) => {
    const rules: Record<string, { window: number; max: number } | undefined> = auth.options.rateLimit.customRules;
    const rule = rules[path];
    if (!rule) throw new Error(`no rate limit configured for ${path}`);
    return rule;
  };
  const bodies: Record<string, () => Record<string, unknown>> = {
    "/sign-up/email": () => ({
      name: "Limit Tester",
      email: `limited-${randomUUID()}@example.com`,
      password: STRONG_PASSWORD,
    }),
    "/request-password-reset": () => ({ email: `reset-${randomUUID()}@example.com`, redirectTo: "/reset-password" }),
    "/reset-password": () => ({ token: randomUUID(), newPassword: STRONG_PASSWORD }),
    "/send-verification-email": () => ({ email: `verify-${randomUUID()}@example.com` }),
    "/change-password": () => ({ currentPassword: STRONG_PASSWORD, newPassword: "a-fresh-Lantern-harbor-64" }),
  };

  it.each(Object.keys(bodies))("%s answers 429 with Retry-After past its limit", async (path) => {
    const { max, window } = ruleFor(path);
    const ip = nextClientIp();
    const send = () => authRequest(path, { body: bodies[path]?.(), ip });
    for (let i = 0; i < max; i++) expect((await send()).status).not.toBe(429);
    const refused = await send();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(window);
    // Another client is not affected.
    expect((await authRequest(path, { body: bodies[path]?.(), ip: nextClientIp() })).status).not.toBe(429);
  });
});

describe("failed sign-ins per account", () => {
  it("throttles an existing account after 10 failures from any IPs, with Retry-After, even for the right password", async () => {
    const user = await createUser();
    for (let i = 0; i < PASSWORD_FAILURE_LIMIT; i++)
      expect((await signInFrom(user.email, "wrong-Password-000")).status).toBe(401);
    expect(retryAfterOf(await signInFrom(user.email, user.password))).toBeGreaterThan(0);
  });

  it("throttles an unknown email identically", async () => {
    const user = await createUser();
    const unknown = `ghost-${Date.now()}@example.com`;
    for (let i = 0; i < PASSWORD_FAILURE_LIMIT; i++) {
      await signInFrom(user.email, "wrong-Password-000");
      await signInFrom(unknown, "wrong-Password-000");
    }
    // Error bodies name their request id: sent the same id, the two answers must be the same byte for byte.
    const signInAs = (email: string) =>
      authRequest("/sign-in/email", {
        body: { email, password: "wrong-Password-000" },
        ip: nextClientIp(),
        headers: { "x-request-id": "enumeration-probe" },
      });
    const known = await signInAs(user.email);
    const ghost = await signInAs(unknown);
    expect(retryAfterOf(known)).toBeGreaterThan(0);
    expect(retryAfterOf(ghost)).toBeGreaterThan(0);
    expect(await ghost.text()).toBe(await known.text());
  });

  it.each([
    ["an existing account", async () => (await createUser()).email],
    ["an unknown email", async () => `ghost-burst-${Date.now()}@example.com`],
  ])("a burst of parallel wrong passwords from many IPs gets at most 10 answers: %s", async (_, emailOf) => {
    const email = await emailOf();
    const responses = await Promise.all(Array.from({ length: 30 }, () => signInFrom(email, "wrong-Password-000")));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(PASSWORD_FAILURE_LIMIT);
    expect(statuses.filter((status) => status !== 401).every((status) => status === 429)).toBe(true);
    for (const response of responses.filter((r) => r.status === 429)) {
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    }
  });

  it("an answer that is no wrong password (email not verified yet) does not count as a failure", async () => {
    const user = await createUser();
    await db.user.update({ where: { id: user.id }, data: { emailVerified: false } });
    for (let i = 0; i <= PASSWORD_FAILURE_LIMIT; i++)
      expect((await signInFrom(user.email, user.password)).status).toBe(403);
  });

  it("does not lock the owner out for long: 15 minutes at most, and a success clears the count", async () => {
    const user = await createUser();
    for (let i = 0; i < PASSWORD_FAILURE_LIMIT; i++) await signInFrom(user.email, "wrong-Password-000");
    const retryAfter = retryAfterOf(await signInFrom(user.email, user.password));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    const owner = await createUser();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < PASSWORD_FAILURE_LIMIT - 1; i++) await signInFrom(owner.email, "wrong-Password-000");
      expect((await signInFrom(owner.email, owner.password)).status).toBe(200);
    }
  });
});

describe("wrong passwords re-entered while signed in, per account", () => {
  const NEW_PASSWORD = "a-fresh-Lantern-harbor-64";
  /** The body of each endpoint that asks a signed-in user for their password again. */
  const reentries: Record<string, (password: string) => Record<string, unknown>> = {
    "/verify-password": (password) => ({ password }),
    "/change-password": (password) => ({ currentPassword: password, newPassword: NEW_PASSWORD }),
  };
  /** Each request from a new address, so only the per-account limit can refuse it. */
  const reenter = (path: string, password: string, headers: Record<string, string>) =>
    authRequest(path, { body: reentries[path]?.(password), headers, ip: nextClientIp() });
  const cookieOf = async (user: { id: string }) => ({ cookie: (await signIn(user)).headers.get("cookie") ?? "" });

  it.each(Object.keys(reentries))(
    "%s: after 10 wrong passwords from any addresses, 429 with Retry-After, even for the right one, and sign-in too",
    async (path) => {
      const user = await createUser();
      const headers = await cookieOf(user);
      for (let i = 0; i < PASSWORD_FAILURE_LIMIT; i++)
        expect((await reenter(path, "wrong-Password-000", headers)).status).toBe(400);
      const retryAfter = retryAfterOf(await reenter(path, user.password, headers));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(PASSWORD_FAILURE_WINDOW_MS / 1000);
      expect(retryAfterOf(await signInFrom(user.email, user.password))).toBeGreaterThan(0);
    },
  );

  it("shares one counter with sign-in: wrong sign-ins, verifications and changes add up", async () => {
    const user = await createUser();
    const headers = await cookieOf(user);
    const third = Math.floor(PASSWORD_FAILURE_LIMIT / 3);
    for (let i = 0; i < third; i++) expect((await signInFrom(user.email, "wrong-Password-000")).status).toBe(401);
    for (let i = 0; i < third; i++)
      expect((await reenter("/change-password", "wrong-Password-000", headers)).status).toBe(400);
    for (let i = 2 * third; i < PASSWORD_FAILURE_LIMIT; i++) {
      expect((await reenter("/verify-password", "wrong-Password-000", headers)).status).toBe(400);
    }
    expect(retryAfterOf(await signInFrom(user.email, user.password))).toBeGreaterThan(0);
    expect(retryAfterOf(await reenter("/verify-password", user.password, headers))).toBeGreaterThan(0);
    expect(retryAfterOf(await reenter("/change-password", user.password, headers))).toBeGreaterThan(0);
  });

  it("a session token sent as Authorization: Bearer counts against the same account as the cookie", async () => {
    const user = await createUser();
    const bearer = { authorization: `Bearer ${(await signIn(user)).signedToken}` };
    for (let i = 0; i < PASSWORD_FAILURE_LIMIT; i++)
      expect((await reenter("/verify-password", "wrong-Password-000", bearer)).status).toBe(400);
    expect(retryAfterOf(await reenter("/verify-password", user.password, bearer))).toBeGreaterThan(0);
  });

  it("a parallel burst of wrong passwords gets no more than 10 answers", async () => {
    const user = await createUser();
    const headers = await cookieOf(user);
    const responses = await Promise.all(
      Array.from({ length: 3 * PASSWORD_FAILURE_LIMIT }, () =>
        reenter("/verify-password", "wrong-Password-000", headers),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 400)).toHaveLength(PASSWORD_FAILURE_LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(2 * PASSWORD_FAILURE_LIMIT);
  });

  it("a right password clears the count; an answer that checks no password (no session) counts nothing", async () => {
    const user = await createUser();
    const headers = await cookieOf(user);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < PASSWORD_FAILURE_LIMIT - 1; i++)
        await reenter("/verify-password", "wrong-Password-000", headers);
      expect((await reenter("/verify-password", user.password, headers)).status).toBe(200);
    }
    for (let i = 0; i < PASSWORD_FAILURE_LIMIT - 1; i++)
      await reenter("/verify-password", "wrong-Password-000", headers);
    for (let i = 0; i < 3; i++) expect((await reenter("/verify-password", "wrong-Password-000", {})).status).toBe(401);
    expect((await reenter("/verify-password", user.password, headers)).status).toBe(200);
  });
});

describe("tRPC mutations per user", () => {
  it("answers TOO_MANY_REQUESTS past MUTATION_RATE_LIMIT a minute, and nothing is written", async () => {
    const caller = await createTestCaller(await createUser());
    const results = await Promise.all(
      Array.from({ length: 125 }, (_, i) => codeOf(caller.task.create({ title: `burst ${i}` }))),
    );
    expect(results.filter((code) => code === "OK")).toHaveLength(120);
    expect(results.filter((code) => code === "TOO_MANY_REQUESTS")).toHaveLength(5);
    expect((await caller.task.stats()).total).toBe(120);
    expect(await codeOf(caller.task.list())).toBe("OK"); // queries are not counted
  });
});

describe("enumeration by timing", () => {
  it("an unknown email and a wrong password take about as long (medians within 2×, not the 8× a skipped hash gives)", async () => {
    const user = await createUser();
    const time = async (email: string) => {
      const started = performance.now();
      await signInFrom(email, "wrong-Password-000");
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 8; i++) {
      known.push(await time(user.email));
      unknown.push(await time(`nobody-${i}-${Date.now()}@example.com`));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const ratio = median(known) / median(unknown);
    expect(ratio).toBeGreaterThan(1 / 2);
    expect(ratio).toBeLessThan(2);
  });
});
