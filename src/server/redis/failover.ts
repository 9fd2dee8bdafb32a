// Redis is shared state the app can do without: when a command fails, the database stands in (with a warning)
// until Redis answers again, and before Redis is used again, what it may hold stale is forgotten.
import type Redis from "ioredis";
import { logger } from "@/server/logger";
import { eventLoopStalls, type EventLoopStalls } from "@/server/redis/event-loop-stalls";

export type RedisFailover = {
  /** `onRedis` while Redis answers; `onFallback` when that call fails, and for every call until Redis is back. */
  use<T>(onRedis: () => Promise<T>, onFallback: () => T | Promise<T>): Promise<T>;
  /**
   * Runs when Redis answers again, before any call goes back to it (e.g. to drop copies that missed a change
   * made in the database meanwhile). If it fails, Redis stays unused and the next probe tries again.
   */
  beforeReturning(hook: () => Promise<void>): void;
  readonly available: boolean;
};

type Log = { warn: (message: string) => void; info: (message: string) => void };

// A command that timed out while the event loop was stalled is sent again, at most this many times in all.
const MAX_ATTEMPTS = 5;

export function createRedisFailover(
  redis: Redis,
  {
    probeIntervalMs = 1000,
    log = logger as Log,
    stalls = eventLoopStalls() as EventLoopStalls,
    commandTimeoutMs = redis.options.commandTimeout,
  } = {},
): RedisFailover {
  let available = true;
  // Counts failures, so a probe that began before the latest one cannot declare Redis back.
  let failures = 0;
  let nextProbeAt = 0;
  let probing = false;
  const hooks: Array<() => Promise<void>> = [];

  function fail(error: unknown): void {
    failures++;
    nextProbeAt = Date.now() + probeIntervalMs;
    if (!available) return;
    available = false;
    const reason = error instanceof Error ? error.message : String(error);
    log.warn(`[redis] unavailable (${reason}): rate limits and sessions use the database until Redis answers again`);
  }

  /**
   * Runs a command; one that timed out is sent again when the process could not have read its answer in time: a
   * timer that fires after the event loop was stuck (a long synchronous task) says nothing about Redis, whose
   * answer may be waiting unread. Only a timeout during which the loop was free for the whole command timeout, or
   * any other error, is a failure. Sending again may count a hit twice, never too little (decision 009).
   */
  async function patiently<T>(command: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        return await command();
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isTimeout(error) || !stalledDuring(started)) throw error;
      }
    }
  }

  function stalledDuring(started: number): boolean {
    if (commandTimeoutMs === undefined) return false;
    const now = performance.now();
    return now - started - stalls.stalledMsBetween(started, now) < commandTimeoutMs;
  }

  function probe(): void {
    if (probing || Date.now() < nextProbeAt) return;
    probing = true;
    const seen = failures;
    void (async () => {
      try {
        await patiently(() => redis.ping());
        for (const hook of hooks) await hook();
        if (seen === failures) {
          available = true;
          log.info("[redis] answering again: rate limits and sessions are back on Redis");
        }
      } catch (error) {
        fail(error);
      } finally {
        probing = false;
      }
    })();
  }

  // A dropped connection may come back to a server that kept data from before, or lost some: treat it as an outage.
  redis.on("close", () => fail(new Error("connection closed")));
  // Errors reach the callers of each command; without a listener ioredis would also print every one.
  redis.on("error", () => {});

  return {
    async use(onRedis, onFallback) {
      if (!available) {
        probe();
        return onFallback();
      }
      try {
        return await patiently(onRedis);
      } catch (error) {
        fail(error);
        return onFallback();
      }
    },
    beforeReturning(hook) {
      hooks.push(hook);
    },
    get available() {
      return available;
    },
  };
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && /timed out/i.test(error.message);
}
