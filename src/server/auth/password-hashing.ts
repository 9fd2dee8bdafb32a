// argon2id (OWASP's minimum: 19 MiB, 2 iterations, 1 lane) on libuv's thread pool, never on the event loop.
import { hash, verify } from "@node-rs/argon2";

// @node-rs/argon2 hashes with argon2id unless told otherwise (its Algorithm is a const enum).
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

/** Constant-time comparison inside argon2; a malformed hash counts as a mismatch. */
export async function verifyPassword({ hash: stored, password }: { hash: string; password: string }): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}
