// The same contract for both stores: the database always, Redis when REDIS_URL is set (as in CI); and the failover
// between them.
import Redis from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import {
  type CounterStore,
  databaseCounterStore,
  failoverCounterStore,
  redisCounterStore,
} from "@/server/rate-limit/counter-store";
import { createRedisFailover } from "@/server/redis/failover";
import { startTcpProxy } from "@/test/tcp-proxy";

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

  it("release takes one hit back, never below zero", async () => {
    const k = key("release");
    await store.hit(k, 60_000);
    await store.hit(k, 60_000);
    await store.release(k, 60_000);
    expect((await store.peek(k, 60_000)).count).toBe(1);
    await store.release(k, 60_000);
    await store.release(k, 60_000);
    expect((await store.peek(k, 60_000)).count).toBe(0);
    expect((await store.hit(k, 60_000)).count).toBe(1);
  });

  it("release of a key never hit leaves nothing behind", async () => {
    const k = key("release-unknown");
    await store.release(k, 60_000);
    expect((await store.peek(k, 60_000)).count).toBe(0);
    expect((await store.hit(k, 60_000)).count).toBe(1);
  });

  it("reset clears the count", async () => {
    const k = key("reset");
    await store.hit(k, 60_000);
    await store.reset(k);
    expect((await store.peek(k, 60_000)).count).toBe(0);
  });
});

describe.skipIf(!redisUrl)("failover counter store", () => {
  it("keeps counting in the database while Redis is down, then counts in Redis again", async () => {
    const { hostname, port } = new URL(redisUrl ?? "");
    const proxy = await startTcpProxy({ host: hostname, port: Number(port || 6379) });
    const viaProxy = new Redis(proxy.through(redisUrl ?? ""), {
      keyPrefix: process.env.REDIS_KEY_PREFIX,
      lazyConnect: true,
      commandTimeout: 200,
      maxRetriesPerRequest: 1,
    });
    const warnings: string[] = [];
    const failover = createRedisFailover(viaProxy, {
      probeIntervalMs: 50,
      log: { warn: (line) => warnings.push(line), info: () => {} },
    });
    const store = failoverCounterStore(failover, redisCounterStore(viaProxy), databaseCounterStore(db));
    const k = `contract:failover:${Math.random().toString(36).slice(2)}`;
    try {
      expect((await store.hit(k, 60_000)).count).toBe(1);
      proxy.cut();
      // The limit is never skipped: the database counts from the first hit it sees.
      expect((await store.hit(k, 60_000)).count).toBe(1);
      expect((await store.hit(k, 60_000)).count).toBe(2);
      expect((await store.peek(k, 60_000)).count).toBe(2);
      expect(warnings).toHaveLength(1);
      proxy.restore();
      const deadline = Date.now() + 5000;
      while (!failover.available && Date.now() < deadline) {
        await store.peek(k, 60_000);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Redis's own count, where it left off: 2, or more when the increment that timed out at the cut reached Redis
      // after it came back (ioredis sends queued commands on reconnect): a limit may count too much, never too little.
      expect((await store.hit(k, 60_000)).count).toBeGreaterThanOrEqual(2);
    } finally {
      viaProxy.disconnect();
      await proxy.close();
    }
  });
});
