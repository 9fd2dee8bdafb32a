// Work an answer need not wait for (mail, for now): it runs after the response, so how long it takes says nothing
// about the request (for example whether an account exists), and a stopping server waits for it.
import { logger } from "@/server/logger";

const pending = new Set<Promise<unknown>>();

/** Runs `task` without anyone waiting for it; a failure is logged. Also Better Auth's `backgroundTasks.handler`. */
export function runInBackground(task: Promise<unknown>): void {
  pending.add(task);
  task
    .catch((error: unknown) => logger.error({ err: error }, "a background task failed"))
    .finally(() => pending.delete(task));
}

/** Resolves once every task started so far has finished, or after `timeoutMs`. */
export async function backgroundTasksSettled(timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([Promise.allSettled([...pending]), timeout]);
  clearTimeout(timer);
}
