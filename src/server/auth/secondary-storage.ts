// Better Auth's secondary storage on Redis: sessions (kept in the database too) and rate-limit counters.
import type { SecondaryStorage } from "better-auth";
import type Redis from "ioredis";

export function redisSecondaryStorage(redis: Redis): SecondaryStorage {
  const at = (key: string) => `auth:${key}`;
  return {
    get: (key) => redis.get(at(key)),
    getAndDelete: (key) => redis.getdel(at(key)),
    async increment(key, ttl) {
      // Atomic, and the window starts at the first hit: later increments never extend the expiry.
      const result = await redis.multi().incr(at(key)).expire(at(key), ttl, "NX").exec();
      const count = result?.[0]?.[1];
      if (typeof count !== "number") throw new Error("Redis INCR failed");
      return count;
    },
    async set(key, value, ttl) {
      if (ttl) await redis.set(at(key), value, "EX", ttl);
      else await redis.set(at(key), value);
    },
    async delete(key) {
      await redis.del(at(key));
    },
  };
}
