// The password strength rule (src/lib/password-strength.ts) off the event loop: zxcvbn can spend seconds of CPU on
// one password, so the server hands it to one worker thread and waits. The queue is bounded: when it is full a
// check is refused at once (StrengthCheckBusy, a 503 with Retry-After) rather than left waiting behind the others.
import { Worker } from "node:worker_threads";
import { CONTEXT_CHECKED_LENGTH, type PasswordStrength, passwordLengthRefusal } from "@/lib/password-strength";
import type { StrengthRequest } from "@/server/auth/password-strength-worker";

/** Checks that may wait for the worker besides the one it is running. */
export const STRENGTH_QUEUE_LIMIT = 16;
/** What a refused client is told to wait, in seconds. */
export const STRENGTH_RETRY_AFTER_SECONDS = 5;

/** The worker has as many checks waiting as it may: try again later. */
export class StrengthCheckBusy extends Error {
  readonly retryAfterSeconds = STRENGTH_RETRY_AFTER_SECONDS;
  constructor() {
    super("Too many password checks are waiting; try again in a few seconds.");
  }
}

/**
 * In a Next build (route handlers, server actions; `next dev` too), Turbopack compiles the worker's entry into a chunk
 * of its own and rewrites `new Worker(new URL(...))` to start it; it also writes "nodejs" in place of
 * process.env.NEXT_RUNTIME, which tells the two apart. Where the server runs from TypeScript source (`npm start`'s API
 * listener through tsx, Vitest), the worker loads the source through tsx's API: a worker thread gets no loader of its
 * own. (import.meta.url names the source file in both cases.)
 */
function startWorker(): Worker {
  // eslint-disable-next-line no-restricted-syntax -- not configuration: a constant Next's bundler writes into its build
  if (process.env.NEXT_RUNTIME === "nodejs")
    return new Worker(new URL("./password-strength-worker.ts", import.meta.url));
  const href = JSON.stringify(new URL("./password-strength-worker.ts", import.meta.url).href);
  return new Worker(`import("tsx/esm/api").then(({ tsImport }) => tsImport(${href}, ${href}));`, { eval: true });
}

type Pending = StrengthRequest & { resolve: (strength: PasswordStrength) => void; reject: (error: Error) => void };

/**
 * A checker with its own worker, started at the first check (`queueLimit` is for tests). A check needs no time
 * limit: zxcvbn on at most 64 characters ends within seconds.
 */
export function createStrengthChecker({ queueLimit = STRENGTH_QUEUE_LIMIT } = {}) {
  let worker: Worker | null = null;
  let nextId = 0;
  /** The check the worker is running, then the waiting ones in order. */
  const queue: Pending[] = [];

  /** The worker failed (it should not): the checks it had are refused, and the next check starts a new one. */
  function fail(error: Error): void {
    void worker?.terminate();
    worker = null;
    for (const pending of queue.splice(0)) pending.reject(error);
  }

  function started(): Worker {
    const thread = startWorker();
    // Events of a worker already replaced concern nobody.
    const current = () => worker === thread;
    thread
      .on("message", ({ id, strength }: { id: number; strength: PasswordStrength }) => {
        if (!current() || queue[0]?.id !== id) return;
        queue.shift()?.resolve(strength);
        runNext();
      })
      .on("error", (error) => current() && fail(error))
      .on("exit", (code) => current() && fail(new Error(`The password strength worker stopped (exit code ${code}).`)));
    return thread;
  }

  function runNext(): void {
    const next = queue[0];
    // An idle worker does not keep the process alive (a script, a test run); one with a check to answer does.
    if (!next) return void worker?.unref();
    worker ??= started();
    worker.ref();
    const { id, password, context } = next;
    worker.postMessage({ id, password, context } satisfies StrengthRequest);
  }

  /** The rule's verdict, computed in the worker; lengths are checked here first, which costs nothing. */
  function check(password: string, context: (string | undefined)[]): Promise<PasswordStrength> {
    const lengthRefusal = passwordLengthRefusal(password);
    if (lengthRefusal) return Promise.resolve(lengthRefusal);
    if (queue.length > queueLimit) return Promise.reject(new StrengthCheckBusy());
    const bounded = context.map((value) => value?.slice(0, CONTEXT_CHECKED_LENGTH));
    return new Promise((resolve, reject) => {
      queue.push({ id: ++nextId, password, context: bounded, resolve, reject });
      if (queue.length === 1) runNext();
    });
  }

  /** Starts the worker now (it loads zxcvbn's dictionaries), so that no request waits for that. */
  function prepare(): void {
    worker ??= started();
    if (queue.length === 0) worker.unref();
  }

  return Object.assign(check, { prepare });
}

/** The server's checker: one worker for the process. */
export const checkPasswordStrengthOffThread = createStrengthChecker();
