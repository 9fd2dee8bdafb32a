// Wrong guesses counted per account in the shared counter store, for any secret an account is checked against
// (passwords, second-factor codes). Each attempt reserves its failure before the secret is checked (one atomic
// increment), so parallel attempts cannot all pass a count read before any of them failed; an attempt that did not
// fail gives its reservation back, and a right one clears the count.
import type { Count, CounterStore } from "@/server/rate-limit/counter-store";

/** How many wrong guesses an account may take within a window before it must wait for the window to end. */
export type FailureBudget = { limit: number; windowMs: number };

/** How a checked attempt ended: "unchecked" is any answer that says nothing about the secret (a refusal before the check). */
export type AttemptOutcome = "right" | "wrong" | "unchecked";

export type Attempt =
  | { allowed: true; settle(outcome: AttemptOutcome): Promise<void> }
  /** Refused unchecked: `count` is the account's window (its `resetAt` gives Retry-After). */
  | { allowed: false; count: Count };

const UNCOUNTED: Attempt = { allowed: true, settle: async () => undefined };

/** Reserves one failure under `key` (null: nothing to count against) before the secret is checked. */
export async function beginAttempt(
  counters: CounterStore,
  key: string | null,
  budget: FailureBudget,
): Promise<Attempt> {
  if (!key) return UNCOUNTED;
  const reserved = await counters.hit(key, budget.windowMs);
  if (reserved.count > budget.limit) {
    // Refused unchecked, so no failure to count: the counter keeps counting failures (and attempts in flight).
    await counters.release(key, budget.windowMs);
    return { allowed: false, count: reserved };
  }
  let settled = false;
  return {
    allowed: true,
    async settle(outcome) {
      if (settled) return;
      settled = true;
      // A wrong guess keeps its reservation; a right one clears the count; anything else gives it back.
      if (outcome === "right") await counters.reset(key);
      else if (outcome === "unchecked") await counters.release(key, budget.windowMs);
    },
  };
}
