// Redis is shared state the app can do without: when a command fails, the database stands in (with a warning)
// until Redis answers again, and before Redis is used again, what it may hold stale is forgotten.
import type Redis from "ioredis";
import { logger } from "@/server/logger";

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

export function createRedisFailover(redis: Redis, { probeIntervalMs = 1000, log = logger as Log } = {}): RedisFailover {
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

  function probe(): void {
    if (probing || Date.now() < nextProbeAt) return;
    probing = true;
    const seen = failures;
    void (async () => {
      try {
        await redis.ping();
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
        return await onRedis();
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
