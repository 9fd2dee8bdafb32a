// argon2id (OWASP's minimum: 19 MiB, 2 iterations, 1 lane) on libuv's thread pool, never on the event loop, and
// at most PASSWORD_HASH_CONCURRENCY at once (by default one fewer than the cores): a burst of sign-ins queues for
// hashing instead of taking every core from the requests the event loop is serving.
import { hash, verify } from "@node-rs/argon2";
import pLimit from "p-limit";
import { env } from "@/env";

// @node-rs/argon2 hashes with argon2id unless told otherwise (its Algorithm is a const enum).
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const hashing = pLimit(env.PASSWORD_HASH_CONCURRENCY);

export function hashPassword(password: string): Promise<string> {
  return hashing(() => hash(password, options));
}

/** Constant-time comparison inside argon2; a malformed hash counts as a mismatch. */
export async function verifyPassword({ hash: stored, password }: { hash: string; password: string }): Promise<boolean> {
  try {
    return await hashing(() => verify(stored, password));
  } catch {
    return false;
  }
}
