// The same contract for both stores: the database always, Redis when REDIS_URL is set (as in CI).
import Redis from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { type CounterStore, databaseCounterStore, redisCounterStore } from "@/server/rate-limit/counter-store";

const redisUrl = process.env.REDIS_URL;
const redis = redisUrl ? new Redis(redisUrl, { keyPrefix: process.env.REDIS_KEY_PREFIX }) : null;
afterAll(() => redis?.quit());

const stores: [string, CounterStore][] = [["database", databaseCounterStore(db)]];
if (redis) stores.push(["redis", redisCounterStore(redis)]);

describe.each(stores)("%s counter store", (_, store) => {
  const key = (name: string) => `contract:${name}:${Math.random().toString(36).slice(2)}`;

  it("counts hits in a window; peek does not count", async () => {
    const k = key("count");
    expect((await store.peek(k, 60_000)).count).toBe(0);
    expect((await store.hit(k, 60_000)).count).toBe(1);
    const second = await store.hit(k, 60_000);
    expect(second.count).toBe(2);
    expect(second.resetAt).toBeGreaterThan(Date.now());
    expect(second.resetAt).toBeLessThanOrEqual(Date.now() + 60_000);
    expect((await store.peek(k, 60_000)).count).toBe(2);
  });

  it("starts again when the window ends", async () => {
    const k = key("window");
    await store.hit(k, 300);
    await store.hit(k, 300);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await store.peek(k, 300)).count).toBe(0);
    expect((await store.hit(k, 300)).count).toBe(1);
  });

  it("counts concurrent hits exactly", async () => {
    const k = key("concurrent");
    const counts = await Promise.all(Array.from({ length: 30 }, () => store.hit(k, 60_000)));
    expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it("reset clears the count", async () => {
    const k = key("reset");
    await store.hit(k, 60_000);
    await store.reset(k);
    expect((await store.peek(k, 60_000)).count).toBe(0);
  });
});
