// The app's counters (failed sign-ins per account, mutations per user), in Redis or the database; with Redis,
// the database stands in while Redis does not answer.
import { db } from "@/server/db";
import { databaseCounterStore, failoverCounterStore, redisCounterStore } from "@/server/rate-limit/counter-store";
import { redis, redisFailover } from "@/server/redis";

export const databaseCounters = databaseCounterStore(db);

export const counters =
  redis && redisFailover
    ? failoverCounterStore(redisFailover, redisCounterStore(redis), databaseCounters)
    : databaseCounters;
