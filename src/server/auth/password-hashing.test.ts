// argon2id with OWASP's parameters, verified in constant time, and never more hashes at once than configured.
import { describe, expect, it, vi } from "vitest";
import { env } from "@/env";
import { hashPassword, verifyPassword } from "@/server/auth/password-hashing";

// The real argon2, observed: how many hashes run at the same moment.
const running = vi.hoisted(() => ({ now: 0, max: 0 }));
vi.mock("@node-rs/argon2", async (importOriginal) => {
  const argon2 = await importOriginal<typeof import("@node-rs/argon2")>();
  const observed =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      running.max = Math.max(running.max, ++running.now);
      try {
        return await fn(...args);
      } finally {
        running.now--;
      }
    };
  return { ...argon2, hash: observed(argon2.hash), verify: observed(argon2.verify) };
});

describe("password hashing", () => {
  it("hashes with argon2id, 19 MiB, 2 passes, 1 lane, and verifies only the same password", async () => {
    const stored = await hashPassword("plaid-otter-quarry-91");
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword({ hash: stored, password: "plaid-otter-quarry-91" })).toBe(true);
    expect(await verifyPassword({ hash: stored, password: "Plaid-otter-quarry-91" })).toBe(false);
    expect(await verifyPassword({ hash: "not a hash", password: "x" })).toBe(false);
  });

  it(`computes at most PASSWORD_HASH_CONCURRENCY (${env.PASSWORD_HASH_CONCURRENCY}) hashes at once`, async () => {
    const stored = await hashPassword("plaid-otter-quarry-91");
    running.max = 0;
    const burst = 3 * env.PASSWORD_HASH_CONCURRENCY + 1;
    await Promise.all([
      ...Array.from({ length: burst }, () => hashPassword("plaid-otter-quarry-91")),
      ...Array.from({ length: burst }, () => verifyPassword({ hash: stored, password: "plaid-otter-quarry-91" })),
    ]);
    expect(running.max).toBe(env.PASSWORD_HASH_CONCURRENCY);
  });
});
