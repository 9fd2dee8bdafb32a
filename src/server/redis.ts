// The Redis client, when REDIS_URL is set: one connection per process, keys under REDIS_KEY_PREFIX.
import Redis from "ioredis";
import { env } from "@/env";

const globalForRedis = globalThis as unknown as { taskforgeRedis?: Redis | null };

export const redis: Redis | null = (globalForRedis.taskforgeRedis ??= env.REDIS_URL
  ? new Redis(env.REDIS_URL, { keyPrefix: env.REDIS_KEY_PREFIX, maxRetriesPerRequest: 2, lazyConnect: true })
  : null);
