// Better Auth's secondary storage on Redis: sessions (kept in the database too) and rate-limit counters. While
// Redis does not answer, reads miss (Better Auth then reads the database), writes are skipped, and counters move
// to the database; before Redis is used again, every copy it holds is dropped, since it may have missed a change
// (a sign-out, a ban) made in the database meanwhile.
import type { SecondaryStorage } from "better-auth";
import type Redis from "ioredis";
import type { CounterStore } from "@/server/rate-limit/counter-store";
import type { RedisFailover } from "@/server/redis/failover";

const NAMESPACE = "auth:";

export function redisSecondaryStorage(
  redis: Redis,
  failover: RedisFailover,
  databaseCounters: CounterStore,
): SecondaryStorage {
  const at = (key: string) => `${NAMESPACE}${key}`;
  failover.beforeReturning(async () => {
    await forgetCachedCopies(redis);
  });
  return {
    get: (key) =>
      failover.use(
        () => redis.get(at(key)),
        () => null,
      ),
    getAndDelete: (key) =>
      failover.use(
        () => redis.getdel(at(key)),
        () => null,
      ),
    increment: (key, ttl) =>
      failover.use(
        async () => {
          // Atomic, and the window starts at the first hit: later increments never extend the expiry.
          const result = await redis.multi().incr(at(key)).expire(at(key), ttl, "NX").exec();
          const count = result?.[0]?.[1];
          if (typeof count !== "number") throw new Error("Redis INCR failed");
          return count;
        },
        async () => (await databaseCounters.hit(at(key), ttl * 1000)).count,
      ),
    set: (key, value, ttl) =>
      failover.use(
        async () => {
          if (ttl) await redis.set(at(key), value, "EX", ttl);
          else await redis.set(at(key), value);
        },
        () => undefined,
      ),
    delete: (key) =>
      failover.use(
        async () => {
          await redis.del(at(key));
        },
        () => undefined,
      ),
  };
}

/**
 * Deletes the copies (sessions, their users, session lists, verification values) under our namespace; the
 * database has them all. Better Auth's per-IP counters (`<ip>|<path>`) are counts, not copies: they stay.
 */
export async function forgetCachedCopies(redis: Redis): Promise<number> {
  const prefix = redis.options.keyPrefix ?? "";
  let cursor = "0";
  let deleted = 0;
  do {
    // SCAN matches and returns full key names; other commands add the prefix themselves.
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}${NAMESPACE}*`, "COUNT", 1000);
    cursor = next;
    const copies = keys.filter((key) => !key.includes("|")).map((key) => key.slice(prefix.length));
    if (copies.length > 0) deleted += await redis.unlink(...copies);
  } while (cursor !== "0");
  return deleted;
}
