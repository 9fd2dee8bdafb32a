// Fixed-window counters shared by every app instance: in Redis when configured, otherwise in the database.
import type Redis from "ioredis";
import { randomUUID } from "node:crypto";
import type { Database } from "@/server/db";
import type { RedisFailover } from "@/server/redis/failover";

export type Count = { count: number; resetAt: number };

export interface CounterStore {
  /** Counts one more event in the current window and returns the new count. */
  hit(key: string, windowMs: number): Promise<Count>;
  /** The current count without adding to it. */
  peek(key: string, windowMs: number): Promise<Count>;
  /** Takes one hit back (a reservation that was not used), never below zero and only within the current window. */
  release(key: string, windowMs: number): Promise<void>;
  reset(key: string): Promise<void>;
}

/** Rows in Better Auth's rate_limits table, under our own key namespace; `last_request` holds the window start. */
export function databaseCounterStore(db: Database): CounterStore {
  return {
    async hit(key, windowMs) {
      const now = Date.now();
      const [row] = await db.$queryRaw<{ count: number; start: bigint }[]>`
        INSERT INTO rate_limits (id, key, count, last_request) VALUES (${randomUUID()}, ${key}, 1, ${now})
        ON CONFLICT (key) DO UPDATE SET
          count = CASE WHEN rate_limits.last_request <= ${now - windowMs} THEN 1 ELSE rate_limits.count + 1 END,
          last_request = CASE WHEN rate_limits.last_request <= ${now - windowMs} THEN ${now} ELSE rate_limits.last_request END
        RETURNING count, last_request AS start`;
      return { count: row?.count ?? 1, resetAt: Number(row?.start ?? now) + windowMs };
    },
    async peek(key, windowMs) {
      const row = await db.rateLimit.findUnique({ where: { key }, select: { count: true, lastRequest: true } });
      const start = Number(row?.lastRequest ?? 0);
      return start + windowMs > Date.now() && row
        ? { count: row.count, resetAt: start + windowMs }
        : { count: 0, resetAt: 0 };
    },
    async release(key, windowMs) {
      await db.$executeRaw`
        UPDATE rate_limits SET count = count - 1
        WHERE key = ${key} AND count > 0 AND last_request > ${Date.now() - windowMs}`;
    },
    async reset(key) {
      await db.rateLimit.deleteMany({ where: { key } });
    },
  };
}

const RELEASE_SCRIPT = `
  local count = tonumber(redis.call("GET", KEYS[1]) or "0")
  if count > 0 then redis.call("DECR", KEYS[1]) end
  return 0`;

export function redisCounterStore(redis: Redis): CounterStore {
  return {
    async hit(key, windowMs) {
      const result = await redis.multi().incr(key).pexpire(key, windowMs, "NX").pttl(key).exec();
      if (!result) throw new Error("Redis transaction aborted");
      const [[incrError, count], , [ttlError, ttl]] = result as [
        [Error | null, number],
        unknown,
        [Error | null, number],
      ];
      if (incrError || ttlError) throw incrError ?? ttlError;
      return { count, resetAt: Date.now() + Math.max(ttl, 0) };
    },
    async peek(key) {
      const [count, ttl] = await Promise.all([redis.get(key), redis.pttl(key)]);
      return count ? { count: Number(count), resetAt: Date.now() + Math.max(ttl, 0) } : { count: 0, resetAt: 0 };
    },
    async release(key) {
      // A key that has expired is not brought back (DECR would create it without a TTL); DECR keeps the TTL.
      await redis.eval(RELEASE_SCRIPT, 1, key);
    },
    async reset(key) {
      await redis.del(key);
    },
  };
}

/**
 * Redis while it answers, the database while it does not: a limit is never skipped. Counts do not move between
 * the stores, so a window that spans a switch starts again in the other one.
 */
export function failoverCounterStore(
  failover: RedisFailover,
  redisStore: CounterStore,
  databaseStore: CounterStore,
): CounterStore {
  return {
    hit: (key, windowMs) =>
      failover.use(
        () => redisStore.hit(key, windowMs),
        () => databaseStore.hit(key, windowMs),
      ),
    peek: (key, windowMs) =>
      failover.use(
        () => redisStore.peek(key, windowMs),
        () => databaseStore.peek(key, windowMs),
      ),
    release: (key, windowMs) =>
      failover.use(
        () => redisStore.release(key, windowMs),
        () => databaseStore.release(key, windowMs),
      ),
    reset: (key) =>
      failover.use(
        () => redisStore.reset(key),
        () => databaseStore.reset(key),
      ),
  };
}

/** Seconds until `resetAt`, at least 1: the value of a Retry-After header. */
export function retryAfterSeconds({ resetAt }: Count): number {
  return Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
}
