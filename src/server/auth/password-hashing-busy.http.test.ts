// A full hashing queue is a busy server, whichever door asked for the check: sign-in and account deletion answer 503
// with Retry-After (never a 500, never "wrong password"), and the attempt does not count against the account. A
// check whose client has left is dropped from the queue, over the production listener too.
import net from "node:net";
import { describe, expect, it, vi } from "vitest";
import { createUser, signIn, STRONG_PASSWORD } from "@/test/fixtures";
import { authRequest, nextClientIp, trpcRequest } from "@/test/http";
import { startTestServer } from "@/test/http-server";

vi.hoisted(() => {
  process.env.PASSWORD_HASH_CONCURRENCY = "1";
  process.env.PASSWORD_HASH_QUEUE_MAX = "1";
});

// While `held` is set, every hash waits for it: the queue stays full for as long as a test needs.
const gate = vi.hoisted(() => ({ held: null as Promise<void> | null, verified: 0 }));
vi.mock("@node-rs/argon2", async (importOriginal) => {
  const argon2 = await importOriginal<typeof import("@node-rs/argon2")>();
  return {
    ...argon2,
    hash: async (...args: Parameters<typeof argon2.hash>) => {
      await gate.held;
      return argon2.hash(...args);
    },
    verify: async (...args: Parameters<typeof argon2.verify>) => {
      gate.verified++;
      return argon2.verify(...args);
    },
  };
});

const { hashPassword } = await import("@/server/auth/password-hashing");

/** Runs `during` with `hashes` hashes held in the queue (one running, the rest waiting), then lets them finish. */
async function withHeldHashes(hashes: number, during: () => Promise<void>) {
  let release = () => {};
  gate.held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const occupying = Array.from({ length: hashes }, () => hashPassword("plaid-otter-quarry-91"));
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
    await withHeldHashes(2, async () => {
      const response = await authRequest("/sign-in/email", {
        body: { email: user.email, password: "wrong-Password-000" },
        ip: nextClientIp(),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    });
    // Ten wrong passwords still get their ten answers: the refused attempt was not counted.
    for (let i = 0; i < 10; i++) {
      const wrong = await authRequest("/sign-in/email", {
        body: { email: user.email, password: "wrong-Password-000" },
        ip: nextClientIp(),
      });
      expect(wrong.status).toBe(401);
    }
  });

  it("account deletion answers 503 with Retry-After over tRPC, and deletes nothing", async () => {
    const user = await createUser();
    const { headers } = await signIn(user);
    await withHeldHashes(2, async () => {
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

describe("a client that leaves while its password check waits", () => {
  it("is dropped from the queue: its password is never checked", async () => {
    const user = await createUser();
    const server = await startTestServer();
    try {
      const before = gate.verified;
      await withHeldHashes(1, async () => {
        const body = JSON.stringify({ email: user.email, password: STRONG_PASSWORD });
        const socket = net.connect(Number(new URL(server.url).port), "127.0.0.1");
        await new Promise<void>((resolve) => socket.once("connect", resolve));
        socket.write(
          `POST /api/auth/sign-in/email HTTP/1.1\r\nHost: localhost:3000\r\nOrigin: http://localhost:3000\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
        // Long enough for the sign-in to reach the queue behind the held hash; then the client goes.
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        socket.destroy();
        await new Promise((resolve) => setTimeout(resolve, 200));
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(gate.verified).toBe(before);
    } finally {
      await server.close();
    }
  });
});
