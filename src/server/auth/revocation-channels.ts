// How revocations reach every instance (token-revocation.ts): Redis pub/sub when REDIS_URL is set, PostgreSQL's
// LISTEN/NOTIFY without Redis (on DATABASE_DIRECT_URL when DATABASE_URL is a pooler, which cannot deliver NOTIFY),
// and nothing but this process with the embedded database, which only one process may open.
import type Redis from "ioredis";
import pg from "pg";
import type { Database } from "@/server/db";
import { PoolerConnection, refusedStartupSetting, requireOwnSession, sessionConfig } from "@/server/db/pooler";
import type { Logger } from "@/server/logger";
import {
  type ChannelHandlers,
  decodeEvent,
  encodeEvent,
  type RevocationChannel,
  type RevocationEvent,
} from "@/server/auth/token-revocation";

export const REVOCATION_CHANNEL = "token_revocations";

/** One process: every revocation is made here, so there is nothing to listen to and nothing to miss. */
export function localChannel(): RevocationChannel {
  return {
    name: "local",
    start: (handlers) => handlers.up(),
    publish: async () => undefined,
    stop: async () => undefined,
  };
}

/**
 * PostgreSQL: NOTIFY through the app's pool (delivered at commit, so a transaction pooler carries it), LISTEN on a
 * session of its own, reconnected `retryMs` after it is lost. A LISTEN connection that reaches a pooler never comes
 * up: that instance checks sessions in the database for every JWT call.
 */
export function postgresChannel({
  db,
  listenUrl,
  log,
  retryMs = 1000,
  applicationName = "taskforge token revocations",
}: {
  db: Database;
  listenUrl: string;
  log: Logger;
  retryMs?: number;
  /** How the LISTEN connection shows in pg_stat_activity. */
  applicationName?: string;
}): RevocationChannel {
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | undefined;
  let stopping = false;

  function listen(handlers: ChannelHandlers): void {
    const connection = new pg.Client({ ...sessionConfig(listenUrl), application_name: applicationName });
    let lost = false;
    const lose = (error: unknown) => {
      if (lost) return;
      lost = true;
      client = null;
      handlers.down(error instanceof Error ? error.message : String(error));
      void connection.end().catch(() => undefined);
      if (!stopping) retry = setTimeout(() => listen(handlers), retryMs).unref();
    };
    connection.on("notification", (message) => {
      const event = message.payload ? decodeEvent(message.payload) : null;
      if (event) handlers.deliver(event);
    });
    connection.on("error", lose);
    connection.on("end", () => lose(new Error("connection ended")));
    (async () => {
      await connection.connect();
      await requireOwnSession(connection);
      await connection.query(`LISTEN ${REVOCATION_CHANNEL}`);
      if (stopping) return void (await connection.end());
      client = connection;
      handlers.up();
    })().catch((error: unknown) => {
      if (error instanceof PoolerConnection || refusedStartupSetting(error)) {
        lost = true;
        void connection.end().catch(() => undefined);
        log.error(
          "token revocations: the LISTEN connection reaches a connection pooler, which cannot deliver NOTIFY; every JWT call checks its session in the database (set DATABASE_DIRECT_URL to the server's own address)",
        );
        return;
      }
      log.warn({ err: error }, "token revocations: LISTEN failed; JWT calls check their session until it is back");
      lose(error);
    });
  }

  return {
    name: "postgres",
    start: listen,
    async publish(event: RevocationEvent) {
      await db.$executeRaw`SELECT pg_notify(${REVOCATION_CHANNEL}, ${encodeEvent(event)})`;
    },
    async stop() {
      stopping = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}

/**
 * Redis pub/sub: PUBLISH on the app's connection, SUBSCRIBE on a connection of its own (ioredis reconnects it and
 * subscribes again; `ready` after that is the moment it is up again). Channel names are not prefixed by ioredis, so
 * the key prefix is added here: instances of another deployment on the same Redis are not told.
 */
export function redisChannel({ redis, keyPrefix, log }: { redis: Redis; keyPrefix: string; log: Logger }) {
  const name = `${keyPrefix}${REVOCATION_CHANNEL}`;
  let subscriber: Redis | null = null;
  const channel: RevocationChannel = {
    name: "redis",
    start(handlers) {
      const connection = redis.duplicate({
        keyPrefix: "",
        lazyConnect: true,
        maxRetriesPerRequest: null,
        connectionName: name.replace(/[^\w.:-]/g, "_"),
      });
      subscriber = connection;
      const subscribe = () =>
        connection.subscribe(name).then(
          () => handlers.up(),
          (error: unknown) => handlers.down(error instanceof Error ? error.message : String(error)),
        );
      connection.on("message", (_channel: string, payload: string) => {
        const event = decodeEvent(payload);
        if (event) handlers.deliver(event);
      });
      connection.on("ready", () => void subscribe());
      connection.on("close", () => handlers.down("connection closed"));
      connection.on("error", (error: Error) => {
        handlers.down(error.message);
        log.warn(
          { err: error },
          "token revocations: Redis subscription lost; JWT calls check their session until it is back",
        );
      });
      connection.connect().catch(() => undefined);
    },
    async publish(event) {
      await redis.publish(name, encodeEvent(event));
    },
    async stop() {
      subscriber?.disconnect();
      subscriber = null;
    },
  };
  return channel;
}
