// The probes: liveness without the database, readiness with it, and readiness that answers quickly when the
// database refuses connections or never answers.
import net from "node:net";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { GET as ping } from "@/app/api/ping/route";
import { GET as ready } from "@/app/api/ready/route";
import { createDatabase, db } from "@/server/db";
import { createReadinessProbe, READINESS_TIMEOUT_MS } from "@/server/http/health";

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A "database" that accepts connections and never says a word; `connections` counts them. */
async function silentServer() {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    connections: () => connections,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const databaseAt = (port: number) =>
  createDatabase(new PrismaPg({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres`, max: 2 }));

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

async function timed(probe: () => Promise<Response>) {
  const started = performance.now();
  const response = await probe();
  return { response, ms: performance.now() - started, body: await response.json() };
}

describe("GET /api/health (liveness)", () => {
  it("answers ok, and /api/ping is the same probe", async () => {
    for (const probe of [health, ping]) {
      const response = probe();
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(await response.json()).toEqual({ status: "ok" });
    }
  });
});

describe("GET /api/ready (readiness)", () => {
  it("answers ok when the database answers", async () => {
    await db.$queryRaw`SELECT 1`; // the embedded database opens on its first query, which can take longer than a probe waits
    const response = await ready();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", db: "ok" });
  });

  it("answers 503 with Retry-After at once when the database refuses connections", async () => {
    const database = databaseAt(await closedPort());
    closers.push(() => database.$disconnect());
    const { response, ms, body } = await timed(createReadinessProbe(database));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(body).toEqual({ status: "unavailable", db: "down" });
    expect(ms).toBeLessThan(READINESS_TIMEOUT_MS);
  });

  it("answers 503 within its timeout when the database never answers, and probes share one query", async () => {
    const silent = await silentServer();
    const database = databaseAt(silent.port);
    closers.push(silent.close, () => database.$disconnect());
    const probe = createReadinessProbe(database);
    const results = await Promise.all([timed(probe), timed(probe), timed(probe)]);
    for (const { response, ms, body } of results) {
      expect(response.status).toBe(503);
      expect(body).toEqual({ status: "unavailable", db: "down" });
      expect(ms).toBeGreaterThanOrEqual(READINESS_TIMEOUT_MS - 50);
      expect(ms).toBeLessThan(READINESS_TIMEOUT_MS + 1_000);
    }
    // The three probes waited on one query, so one connection attempt: a hung database collects no pile-up.
    expect(silent.connections()).toBe(1);
    const again = await timed(probe);
    expect(again.response.status).toBe(503);
    expect(silent.connections()).toBe(1);
  });
});
