// The app's counters (failed sign-ins per account, mutations per user), in Redis or the database.
import { db } from "@/server/db";
import { databaseCounterStore, redisCounterStore } from "@/server/rate-limit/counter-store";
import { redis } from "@/server/redis";

export const counters = redis ? redisCounterStore(redis) : databaseCounterStore(db);
