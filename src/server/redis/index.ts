// The Redis client, when REDIS_URL is set: one connection per process, keys under REDIS_KEY_PREFIX, and the failover
// that lets the database stand in while Redis does not answer (src/server/redis/failover.ts).
import Redis from "ioredis";
import { env } from "@/env";
import { logger } from "@/server/logger";
import { createRedisFailover, type RedisFailover } from "@/server/redis/failover";

const globalForRedis = globalThis as unknown as { taskforgeRedis?: { redis: Redis; failover: RedisFailover } | null };

const shared = (globalForRedis.taskforgeRedis ??= env.REDIS_URL ? connect(env.REDIS_URL) : null);

function connect(url: string): { redis: Redis; failover: RedisFailover } {
  const redis = new Redis(url, {
    keyPrefix: env.REDIS_KEY_PREFIX,
    lazyConnect: true,
    // A command fails after this long (or two reconnection attempts) instead of waiting for a silent server.
    commandTimeout: env.REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 2,
  });
  return { redis, failover: createRedisFailover(redis, { log: logger }) };
}

export const redis: Redis | null = shared?.redis ?? null;
export const redisFailover: RedisFailover | null = shared?.failover ?? null;
