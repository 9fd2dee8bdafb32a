// The Redis client, when REDIS_URL is set: one connection per process, keys under REDIS_KEY_PREFIX.
import Redis from "ioredis";
import { env } from "@/env";
import { logger } from "@/server/logger";

function connect(url: string): Redis {
  const client = new Redis(url, { keyPrefix: env.REDIS_KEY_PREFIX, maxRetriesPerRequest: 2, lazyConnect: true });
  // Without a listener, ioredis prints connection errors to the console itself; they belong in the log.
  client.on("error", (error: Error) => logger.warn({ err: error }, "redis connection error"));
  return client;
}

const globalForRedis = globalThis as unknown as { taskforgeRedis?: Redis | null };

export const redis: Redis | null = (globalForRedis.taskforgeRedis ??= env.REDIS_URL ? connect(env.REDIS_URL) : null);
