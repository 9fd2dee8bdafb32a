// Better Auth's Redis storage while Redis fails, against a real Redis behind a relay the test cuts (runs when
// REDIS_URL is set): reads miss, counters move to the database, and no copy outlives a change it missed.
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forgetCachedCopies, redisSecondaryStorage } from "@/server/auth/secondary-storage";
import { db } from "@/server/db";
import { databaseCounterStore } from "@/server/rate-limit/counter-store";
import { createRedisFailover } from "@/server/redis/failover";
import { startTcpProxy, type TcpProxy } from "@/test/tcp-proxy";

const redisUrl = process.env.REDIS_URL;
const quiet = { warn: () => {}, info: () => {} };

describe.skipIf(!redisUrl)("Redis secondary storage under failure", () => {
  let proxy: TcpProxy;
  let direct: Redis;
  let viaProxy: Redis;
  const prefix = `${process.env.REDIS_KEY_PREFIX ?? "taskforge-test:"}storage-${Math.random().toString(36).slice(2)}:`;

  beforeAll(async () => {
    const { hostname, port } = new URL(redisUrl ?? "");
    proxy = await startTcpProxy({ host: hostname, port: Number(port || 6379) });
    direct = new Redis(redisUrl ?? "", { keyPrefix: prefix });
    viaProxy = new Redis(proxy.through(redisUrl ?? ""), {
      keyPrefix: prefix,
      lazyConnect: true,
      commandTimeout: 200,
      maxRetriesPerRequest: 1,
    });
  });
  afterAll(async () => {
    viaProxy.disconnect();
    const keys = await direct.keys(`${prefix}*`);
    if (keys.length) await direct.unlink(...keys.map((key) => key.slice(prefix.length)));
    await direct.quit();
    await proxy.close();
  });

  async function untilBackOnRedis(storage: ReturnType<typeof redisSecondaryStorage>, failover: { available: boolean }) {
    const deadline = Date.now() + 5000;
    while (!failover.available) {
      if (Date.now() > deadline) throw new Error("Redis did not come back");
      await storage.get("probe");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it("a session deleted while Redis was unreachable is not served once Redis answers again", async () => {
    const failover = createRedisFailover(viaProxy, { probeIntervalMs: 50, log: quiet });
    const storage = redisSecondaryStorage(viaProxy, failover, databaseCounterStore(db));
    await storage.set("session-token-1", JSON.stringify({ session: { id: "s1" } }), 600);
    expect(await storage.get("session-token-1")).not.toBeNull();

    proxy.cut();
    expect(await storage.get("session-token-1")).toBeNull(); // a miss: Better Auth asks the database
    expect(failover.available).toBe(false);
    await storage.delete("session-token-1"); // not even sent: Redis is known to be down
    expect(await direct.get("auth:session-token-1")).not.toBeNull(); // Redis itself still holds the old copy

    proxy.restore();
    await untilBackOnRedis(storage, failover);
    expect(await storage.get("session-token-1")).toBeNull();
    expect(await direct.get("auth:session-token-1")).toBeNull();
  });

  it("counts in the database while Redis is down, so a limit still holds", async () => {
    const failover = createRedisFailover(viaProxy, { probeIntervalMs: 60_000, log: quiet });
    const storage = redisSecondaryStorage(viaProxy, failover, databaseCounterStore(db));
    proxy.restore();
    expect(await storage.increment("203.0.113.9|/sign-in/email", 60)).toBe(1);
    proxy.cut();
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push(await storage.increment("203.0.113.9|/sign-in/email", 60));
    expect(counts).toEqual([1, 2, 3]);
    proxy.restore();
  });

  it("forgets copies but keeps Better Auth's per-IP counters", async () => {
    await direct.set("auth:some-token", "{}");
    await direct.set("auth:active-sessions-u1", "[]");
    await direct.set("auth:203.0.113.7|/sign-in/email", "4");
    await direct.set("mutations:u1", "2");
    expect(await forgetCachedCopies(direct)).toBe(2);
    expect(await direct.get("auth:some-token")).toBeNull();
    expect(await direct.get("auth:active-sessions-u1")).toBeNull();
    expect(await direct.get("auth:203.0.113.7|/sign-in/email")).toBe("4");
    expect(await direct.get("mutations:u1")).toBe("2");
  });
});
