// A signed-in user's mutations are limited per minute (MUTATION_RATE_LIMIT), counted across instances.
import { env } from "@/env";
import { tooManyRequests } from "@/server/retry-later";
import { middleware } from "@/server/api/trpc";
import { counters } from "@/server/rate-limit/counters";

/** The counter of a user's mutations in the current minute. */
export const mutationCounterKey = (userId: string) => `mutations:${userId}`;

export const limitMutations = middleware(async ({ ctx, type, next }) => {
  if (type !== "mutation" || !ctx.session) return next();
  const used = await counters.hit(mutationCounterKey(ctx.session.user.id), 60_000);
  if (used.count > env.MUTATION_RATE_LIMIT) {
    throw tooManyRequests(used, (seconds) => `Too many changes in a minute. Try again in ${seconds} seconds.`);
  }
  return next();
});
