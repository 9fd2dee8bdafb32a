// PostgreSQL faults fail calls within the configured bounds, and the same client recovers once the server is back.
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase, type Database, postgresAdapter } from "@/server/db";
import { startTcpProxy } from "@/test/tcp-proxy";

const serverUrl = process.env.DATABASE_URL;
const bounds = { connectTimeoutMs: 300, statementTimeoutMs: 500 };
/** Room for a busy machine (a loaded event loop delays the timers): a call without bounds would hang until the test's timeout. */
const SLACK_MS = 2500;

/** How long `call` takes to settle, and whether it failed. */
async function timed(call: Promise<unknown>): Promise<{ ms: number; failed: boolean }> {
  const started = performance.now();
  const failed = await call.then(
    () => false,
    () => true,
  );
  return { ms: performance.now() - started, failed };
}

const selectOne = (database: Database) => database.$queryRaw`SELECT 1 AS one`;

describe("PostgreSQL pool bounds", () => {
  const opened: Database[] = [];
  afterAll(async () => {
    for (const database of opened) await database.$disconnect().catch(() => {});
  });

  it("a server that accepts connections but never answers fails the query within the connect timeout", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    const database = createDatabase(postgresAdapter(`postgresql://nobody@127.0.0.1:${port}/none`, bounds));
    opened.push(database);
    try {
      const result = await timed(selectOne(database));
      expect(result.failed).toBe(true);
      expect(result.ms).toBeLessThan(bounds.connectTimeoutMs + SLACK_MS);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it.skipIf(!serverUrl)(
    "a server that goes silent mid-session fails statements within the bounds; the client recovers",
    async () => {
      const { hostname, port } = new URL(serverUrl ?? "");
      const proxy = await startTcpProxy({ host: hostname, port: Number(port || 5432) });
      const database = createDatabase(postgresAdapter(proxy.through(serverUrl ?? ""), bounds));
      opened.push(database);
      try {
        expect(await timed(selectOne(database))).toMatchObject({ failed: false });

        proxy.silence();
        const silent = await timed(selectOne(database));
        expect(silent.failed).toBe(true);
        expect(silent.ms).toBeLessThan(bounds.statementTimeoutMs + 1000 + SLACK_MS);

        proxy.cut();
        const down = await timed(selectOne(database));
        expect(down.failed).toBe(true);
        expect(down.ms).toBeLessThan(SLACK_MS);

        proxy.restore();
        expect(await timed(selectOne(database))).toMatchObject({ failed: false });
        expect(await database.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM generate_series(1, 3)`).toEqual(
          [{ n: 3 }],
        );
      } finally {
        await proxy.close();
      }
    },
  );
});
