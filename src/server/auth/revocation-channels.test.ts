// The channels between instances, for real: two deny lists on PostgreSQL's LISTEN/NOTIFY (when DATABASE_URL is set)
// or on Redis pub/sub (when REDIS_URL is set). A revocation on one is refused on the other within a second; with the
// listening connection cut, the other checks the database until the channel is back.
import { randomBytes } from "node:crypto";
import Redis from "ioredis";
import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { postgresChannel, redisChannel } from "@/server/auth/revocation-channels";
import { createTokenRevocation, type RevocationChannel, type TokenRevocation } from "@/server/auth/token-revocation";
import { createDatabase, type Database, postgresAdapter } from "@/server/db";
import { logger } from "@/server/logger";

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const log = logger.child({ test: "revocation-channels" });

const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<number> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > timeoutMs) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - started;
}

/** Two instances on their own channels; "the database" is a set of ended sessions. */
function twoInstances(channel: () => RevocationChannel) {
  const ended = new Set<string>();
  const sessionIsLive = vi.fn(async (sid: string) => !ended.has(sid));
  const make = (): TokenRevocation => {
    const list = createTokenRevocation({ channel: channel(), sessionIsLive, tokenLifetimeSeconds: 600 });
    stops.push(() => list.stop());
    list.start();
    return list;
  };
  const [a, b] = [make(), make()];
  /** A token minted now (or `ago` seconds ago). */
  const token = (sid: string, ago = 0) => {
    const iat = Math.floor(Date.now() / 1000) - ago;
    return { sid, sub: "user", iat, exp: iat + 600 };
  };
  /** Ends a session as an instance does: the row goes, then the event. */
  const end = async (on: TokenRevocation, sid: string) => {
    ended.add(sid);
    await on.revoke({ sid });
  };
  return { a, b, token, end, sessionIsLive };
}

async function scenario({ channel, cut }: { channel: () => RevocationChannel; cut: () => Promise<void> }) {
  const { a, b, token, end, sessionIsLive } = twoInstances(channel);
  await waitUntil(() => a.state().up && b.state().up);
  await new Promise((resolve) => setTimeout(resolve, 1000)); // tokens below are minted after both came up

  // Up: refused on B within a second, answered from memory.
  const first = token("first");
  expect(b.allows(first)).toBe(true);
  await end(a, "first");
  expect(await waitUntil(() => b.allows(first) === false, 1000)).toBeLessThan(1000);
  expect(sessionIsLive).not.toHaveBeenCalled();

  // Cut: B notices, and checks the database for every JWT call; what was revoked meanwhile is refused.
  const old = token("old", 5);
  await cut();
  await waitUntil(() => !b.state().up);
  await end(a, "missed");
  expect(await b.allows(token("missed"))).toBe(false);
  expect(sessionIsLive).toHaveBeenCalledWith("missed");

  // Back: tokens minted before are checked once, and revocations arrive again.
  await waitUntil(() => a.state().up && b.state().up);
  const calls = sessionIsLive.mock.calls.length;
  expect(await b.allows(old)).toBe(true);
  expect(b.allows(old)).toBe(true);
  expect(sessionIsLive.mock.calls.length).toBe(calls + 1);
  await end(a, "old");
  expect(await waitUntil(() => b.allows(old) === false, 1000)).toBeLessThan(1000);
}

describe.skipIf(!databaseUrl)("PostgreSQL LISTEN/NOTIFY", () => {
  it("carries revocations between instances; a cut LISTEN connection falls back to the database until it is back", async () => {
    const url = databaseUrl ?? "";
    const applicationName = `revocations-test-${randomBytes(4).toString("hex")}`;
    const db: Database = createDatabase(postgresAdapter(url, { poolSize: 2 }));
    stops.push(() => db.$disconnect());
    await scenario({
      channel: () => postgresChannel({ db, listenUrl: url, log, retryMs: 500, applicationName }),
      async cut() {
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        const { rowCount } = await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
          [applicationName],
        );
        await admin.end();
        expect(rowCount).toBe(2);
      },
    });
  });
});

describe.skipIf(!redisUrl)("Redis pub/sub", () => {
  it("carries revocations between instances; a cut subscription falls back to the database until it is back", async () => {
    const keyPrefix = `revocations-test-${randomBytes(4).toString("hex")}:`;
    const redis = new Redis(redisUrl ?? "", { lazyConnect: true });
    stops.push(async () => redis.disconnect());
    await scenario({
      channel: () => redisChannel({ redis, keyPrefix, log }),
      async cut() {
        const clients = (await redis.call("CLIENT", "LIST", "TYPE", "pubsub")) as string;
        const ids = clients
          .split("\n")
          .filter((line) => line.includes(` name=${keyPrefix}`))
          .map((line) => /\bid=(\d+)/.exec(line)?.[1] ?? "");
        expect(ids.length).toBe(2);
        for (const id of ids) await redis.call("CLIENT", "KILL", "ID", id);
      },
    });
  });
});
