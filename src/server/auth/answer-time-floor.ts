// Better Auth plugin: the endpoints whose work depends on whether an account exists answer no sooner than a fixed time
// after the request came in. Mail is queued after the answer, but the work before it still differs: a reset writes a
// token for an account and nothing for an unknown address; a sign-up with a new address writes the user, its
// password and its audit row, one with a taken address only the owner's mail. On a busy embedded database those
// differences were measurable (a reset: 223 ms against 129 ms; a sign-up: 528 ms against 308 ms, medians of 9). Below
// its floor, an answer takes the floor whichever way it went.
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";

/**
 * The floor of each such endpoint, in milliseconds: well above what either way takes on a healthy server (a sign-up
 * hashes its password), short enough to go unnoticed by a person doing it once.
 */
export const ANSWER_TIME_FLOORS: Readonly<Record<string, number>> = {
  "/sign-up/email": 600,
  "/sign-up/passkey": 250,
  "/request-password-reset": 250,
  "/send-verification-email": 250,
  "/sign-in/magic-link": 250,
};

export function answerTimeFloor(floors = ANSWER_TIME_FLOORS): BetterAuthPlugin {
  const startedAt = new WeakMap<object, number>();
  const floorOf = (path: string | undefined) => (path === undefined ? undefined : floors[path]);
  const matcher = (ctx: { path?: string }) => floorOf(ctx.path) !== undefined;
  return {
    id: "answer-time-floor",
    hooks: {
      before: [
        {
          matcher,
          handler: createAuthMiddleware(async (ctx) => {
            startedAt.set(ctx.context, performance.now());
          }),
        },
      ],
      after: [
        {
          matcher,
          handler: createAuthMiddleware(async (ctx) => {
            const started = startedAt.get(ctx.context);
            if (started === undefined) return;
            startedAt.delete(ctx.context);
            const wait = started + (floorOf(ctx.path) ?? 0) - performance.now();
            if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          }),
        },
      ],
    },
  };
}
