// The failover against a real Redis reached through a relay the test cuts and silences (runs when REDIS_URL is set).
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisFailover } from "@/server/redis/failover";
import { startTcpProxy, type TcpProxy } from "@/test/tcp-proxy";

const redisUrl = process.env.REDIS_URL;

/** A log that keeps what it is told, to check the warnings. */
function memoryLog() {
  const lines: string[] = [];
  return {
    lines,
    warn: (line: string) => lines.push(`warn ${line}`),
    info: (line: string) => lines.push(`info ${line}`),
  };
}

async function eventually(condition: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!redisUrl)("Redis failover", () => {
  let proxy: TcpProxy;
  const clients: Redis[] = [];

  beforeAll(async () => {
    const { hostname, port } = new URL(redisUrl ?? "redis://127.0.0.1:6379");
    proxy = await startTcpProxy({ host: hostname, port: Number(port || 6379) });
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await proxy.close();
  });

  function setup() {
    proxy.restore();
    const redis = new Redis(proxy.through(redisUrl ?? ""), {
      lazyConnect: true,
      commandTimeout: 200,
      maxRetriesPerRequest: 1,
    });
    clients.push(redis);
    const log = memoryLog();
    return { redis, log, failover: createRedisFailover(redis, { probeIntervalMs: 50, log }) };
  }
  const viaRedis = (redis: Redis) => async () => `redis:${await redis.ping()}`;

  it("uses Redis while it answers", async () => {
    const { redis, failover, log } = setup();
    expect(await failover.use(viaRedis(redis), () => "database")).toBe("redis:PONG");
    expect(failover.available).toBe(true);
    expect(log.lines).toEqual([]);
  });

  it("falls back when Redis is down, warns once, and returns to Redis when it answers again", async () => {
    const { redis, failover, log } = setup();
    await failover.use(viaRedis(redis), () => "database");
    proxy.cut();
    const during = await Promise.all(Array.from({ length: 5 }, () => failover.use(viaRedis(redis), () => "database")));
    expect(during).toEqual(Array(5).fill("database"));
    expect(failover.available).toBe(false);
    expect(log.lines.filter((line) => line.startsWith("warn"))).toHaveLength(1);
    expect(log.lines[0]).toMatch(/unavailable.*database/);

    proxy.restore();
    await eventually(async () => (await failover.use(viaRedis(redis), () => "database")) === "redis:PONG");
    expect(log.lines.at(-1)).toMatch(/^info .*back on Redis/);
  });

  it("a silent Redis fails within the command timeout, not later", async () => {
    const { redis, failover } = setup();
    await failover.use(viaRedis(redis), () => "database");
    proxy.silence();
    const started = performance.now();
    expect(await failover.use(viaRedis(redis), () => "database")).toBe("database");
    expect(performance.now() - started).toBeLessThan(1000);
    // The next call does not wait for Redis at all.
    const next = performance.now();
    await failover.use(viaRedis(redis), () => "database");
    expect(performance.now() - next).toBeLessThan(50);
    proxy.restore();
  });

  /** Keeps the event loop busy, as a long synchronous task (a hostile input) does. */
  function freeze(ms: number): void {
    const until = performance.now() + ms;
    while (performance.now() < until) {
      // busy
    }
  }

  it("a command pending while the event loop is frozen longer than the command timeout is no outage", async () => {
    const { redis, failover, log } = setup();
    await failover.use(viaRedis(redis), () => "database");
    for (let round = 0; round < 5; round++) {
      const pending = failover.use(viaRedis(redis), () => "database");
      freeze(600);
      expect(await pending).toBe("redis:PONG");
    }
    // Several commands at once, and a freeze longer than two timeouts.
    const pending = Promise.all(Array.from({ length: 10 }, () => failover.use(viaRedis(redis), () => "database")));
    freeze(900);
    expect(await pending).toEqual(Array(10).fill("redis:PONG"));
    expect(failover.available).toBe(true);
    expect(log.lines).toEqual([]);
  });

  it("a silent Redis during a freeze still fails over, one command timeout after the freeze", async () => {
    const { redis, failover, log } = setup();
    await failover.use(viaRedis(redis), () => "database");
    proxy.silence();
    const pending = failover.use(viaRedis(redis), () => "database");
    freeze(600);
    const thawed = performance.now();
    expect(await pending).toBe("database");
    expect(performance.now() - thawed).toBeLessThan(1000);
    expect(failover.available).toBe(false);
    expect(log.lines.filter((line) => line.startsWith("warn"))).toHaveLength(1);
    proxy.restore();
  });

  it("runs the hooks before Redis is used again, and stays on the fallback while a hook fails", async () => {
    const { redis, failover } = setup();
    let hookRuns = 0;
    let hookFails = true;
    failover.beforeReturning(async () => {
      hookRuns++;
      if (hookFails) throw new Error("not yet");
    });
    await failover.use(viaRedis(redis), () => "database");
    proxy.cut();
    await failover.use(viaRedis(redis), () => "database");
    proxy.restore();
    await eventually(async () => {
      await failover.use(viaRedis(redis), () => "database");
      return hookRuns >= 2;
    });
    expect(await failover.use(viaRedis(redis), () => "database")).toBe("database");
    hookFails = false;
    await eventually(async () => (await failover.use(viaRedis(redis), () => "database")) === "redis:PONG");
  });
});
