// argon2id (OWASP's minimum: 19 MiB, 2 iterations, 1 lane) on libuv's thread pool, never on the event loop, and
// at most PASSWORD_HASH_CONCURRENCY at once (by default one fewer than the cores): a burst of sign-ins queues for
// hashing instead of taking every core from the requests the event loop is serving. The queue holds at most
// PASSWORD_HASH_QUEUE_MAX waiting; past that a request is answered 503 with Retry-After, and a request whose client
// has gone (Better Auth's request signal aborted) is dropped when its turn comes instead of being hashed.
import { tryGetCurrentAuthEndpointContext } from "@better-auth/core/context";
import { hash, verify } from "@node-rs/argon2";
import { APIError } from "better-auth/api";
import pLimit from "p-limit";
import { env } from "@/env";

// @node-rs/argon2 hashes with argon2id unless told otherwise (its Algorithm is a const enum).
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const hashing = pLimit(env.PASSWORD_HASH_CONCURRENCY);

/** The queue is full: Better Auth answers it 503 with Retry-After; tRPC maps it to SERVICE_UNAVAILABLE. */
export class PasswordHashingBusy extends APIError {
  readonly retryAfterSeconds = 2;
  constructor() {
    const message = "The server is busy checking passwords. Try again in a moment.";
    super("SERVICE_UNAVAILABLE", { code: "PASSWORD_HASHING_BUSY", message }, { "Retry-After": "2" });
  }
}

/** Runs `work` in its turn, or refuses at once when the queue is full. */
async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (hashing.pendingCount >= env.PASSWORD_HASH_QUEUE_MAX) throw new PasswordHashingBusy();
  const signal = tryGetCurrentAuthEndpointContext()?.request?.signal;
  return hashing(() => {
    if (signal?.aborted) {
      throw new APIError("REQUEST_TIMEOUT", {
        code: "CLIENT_CLOSED_REQUEST",
        message: "The client closed the request.",
      });
    }
    return work();
  });
}

export function hashPassword(password: string): Promise<string> {
  return inTurn(() => hash(password, options));
}

/** Constant-time comparison inside argon2; a malformed hash counts as a mismatch. */
export function verifyPassword({ hash: stored, password }: { hash: string; password: string }): Promise<boolean> {
  return inTurn(() => verify(stored, password).catch(() => false));
}
