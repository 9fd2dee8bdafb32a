// A refusal that ends: TOO_MANY_REQUESTS (or a busy server) with the seconds to wait, which the HTTP handler sends
// as Retry-After.
import { TRPCError } from "@trpc/server";
import { type Count, retryAfterSeconds } from "@/server/rate-limit/counter-store";

/** Why a call was refused for now, and when to come back. */
export class RetryLater extends Error {
  constructor(readonly seconds: number) {
    super(`Try again in ${seconds} seconds.`);
  }
}

/** TOO_MANY_REQUESTS for a counter past its limit; `message` is told the seconds until its window ends. */
export function tooManyRequests(count: Count, message: (seconds: number) => string): TRPCError {
  const seconds = retryAfterSeconds(count);
  return new TRPCError({ code: "TOO_MANY_REQUESTS", message: message(seconds), cause: new RetryLater(seconds) });
}
