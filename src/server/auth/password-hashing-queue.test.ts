// The hashing queue is bounded: past PASSWORD_HASH_QUEUE_MAX waiting, a password check is refused with 503 and
// Retry-After at once; a check whose client has gone is dropped when its turn comes.
import type { AuthContext } from "better-auth";
import { runWithEndpointContext } from "@better-auth/core/context";
import { isAPIError } from "better-auth/api";
import { describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.PASSWORD_HASH_CONCURRENCY = "1";
  process.env.PASSWORD_HASH_QUEUE_MAX = "3";
});

const hashed = vi.hoisted(() => ({ count: 0 }));
vi.mock("@node-rs/argon2", async (importOriginal) => {
  const argon2 = await importOriginal<typeof import("@node-rs/argon2")>();
  return {
    ...argon2,
    hash: async (...args: Parameters<typeof argon2.hash>) => {
      hashed.count++;
      return argon2.hash(...args);
    },
  };
});

const { hashPassword, verifyPassword } = await import("@/server/auth/password-hashing");

function statusOf(error: unknown): number | undefined {
  return isAPIError(error) ? error.statusCode : undefined;
}

describe("the password hashing queue", () => {
  it("answers 503 with Retry-After beyond PASSWORD_HASH_QUEUE_MAX waiting, and serves the others", async () => {
    // One hashing, three waiting: the queue is full.
    const accepted = Array.from({ length: 4 }, () => hashPassword("plaid-otter-quarry-91"));
    const refused = await Promise.allSettled([
      hashPassword("plaid-otter-quarry-91"),
      verifyPassword({ hash: "x", password: "y" }),
    ]);
    for (const outcome of refused) {
      expect(outcome.status).toBe("rejected");
      const error = outcome.status === "rejected" ? (outcome.reason as unknown) : undefined;
      expect(statusOf(error)).toBe(503);
      expect(isAPIError(error) && new Headers(error.headers).get("retry-after")).toMatch(/^[1-9]\d*$/);
    }
    const stored = await Promise.all(accepted);
    expect(stored.every((hash) => hash.startsWith("$argon2id$"))).toBe(true);
    // Once the queue has drained, checks are accepted again.
    expect(await verifyPassword({ hash: stored[0] ?? "", password: "plaid-otter-quarry-91" })).toBe(true);
  });

  it("drops a waiting check whose client closed the request, without hashing it", async () => {
    const client = new AbortController();
    const request = new Request("http://localhost/api/auth/sign-up/email", { method: "POST", signal: client.signal });
    const before = hashed.count;
    const first = hashPassword("plaid-otter-quarry-91");
    const abandoned = runWithEndpointContext({ request, context: {} as AuthContext }, () =>
      hashPassword("plaid-otter-quarry-91"),
    );
    client.abort();
    await first;
    await expect(abandoned).rejects.toSatisfy((error: unknown) => statusOf(error) === 408);
    // Only the first was hashed.
    expect(hashed.count).toBe(before + 1);
  });
});
