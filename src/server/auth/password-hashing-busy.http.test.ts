// A full hashing queue is a busy server, whichever door asked for the check: sign-in and account deletion answer 503
// with Retry-After (never a 500, never "wrong password"), and the attempt does not count against the account.
import { describe, expect, it, vi } from "vitest";
import { createUser, signIn, STRONG_PASSWORD } from "@/test/helpers";
import { authRequest, nextClientIp, trpcRequest } from "@/test/http";

vi.hoisted(() => {
  process.env.PASSWORD_HASH_CONCURRENCY = "1";
  process.env.PASSWORD_HASH_QUEUE_MAX = "1";
});

// While `held` is set, every hash waits for it: the queue stays full for as long as a test needs.
const gate = vi.hoisted(() => ({ held: null as Promise<void> | null }));
vi.mock("@node-rs/argon2", async (importOriginal) => {
  const argon2 = await importOriginal<typeof import("@node-rs/argon2")>();
  return {
    ...argon2,
    hash: async (...args: Parameters<typeof argon2.hash>) => {
      await gate.held;
      return argon2.hash(...args);
    },
  };
});

const { hashPassword } = await import("@/server/auth/password-hashing");

/** Runs `during` with one hash running and one waiting, then lets them finish. */
async function withFullQueue(during: () => Promise<void>) {
  let release = () => {};
  gate.held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const occupying = [hashPassword("plaid-otter-quarry-91"), hashPassword("plaid-otter-quarry-91")];
  try {
    await during();
  } finally {
    gate.held = null;
    release();
    await Promise.all(occupying);
  }
}

describe("a full password hashing queue", () => {
  it("sign-in answers 503 with Retry-After, and the attempt does not count as a wrong password", async () => {
    const user = await createUser();
    await withFullQueue(async () => {
      const response = await authRequest("/sign-in/email", { body: { email: user.email, password: "wrong-Password-000" }, ip: nextClientIp() });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    });
    // Ten wrong passwords still get their ten answers: the refused attempt was not counted.
    for (let i = 0; i < 10; i++) {
      const wrong = await authRequest("/sign-in/email", { body: { email: user.email, password: "wrong-Password-000" }, ip: nextClientIp() });
      expect(wrong.status).toBe(401);
    }
  });

  it("account deletion answers 503 with Retry-After over tRPC, and deletes nothing", async () => {
    const user = await createUser();
    const { headers } = await signIn(user);
    await withFullQueue(async () => {
      const response = await trpcRequest("account.delete", {
        body: { json: { password: STRONG_PASSWORD } },
        headers: { cookie: headers.get("cookie") ?? "" },
        ip: nextClientIp(),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    });
    const me = await trpcRequest("user.me", { headers: { cookie: headers.get("cookie") ?? "" }, ip: nextClientIp() });
    expect(me.status).toBe(200);
  });
});
