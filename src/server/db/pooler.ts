// PostgreSQL behind a connection pooler in transaction mode (PgBouncer, Neon's pooled URL, Supabase's Supavisor):
// each transaction may run on another server connection, so nothing set for a session holds, and a setting sent at
// connection start is refused (PgBouncer: 08P01 "unsupported startup parameter") or dropped. This module tells a
// session of our own from a pooled connection, and holds the statement timeout where a pooler cannot lose it: as the
// role's default in the database, which every server connection the pooler opens starts with.
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";

type Queryable = Pick<pg.ClientBase, "query">;
type ConnectCallback = (
  err: Error | undefined,
  client: pg.PoolClient | undefined,
  done: (release?: Error | boolean) => void,
) => void;
type Log = {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
};

/** A pooler refusing a setting sent at connection start (it could not carry it from one server connection to the next). */
export function refusedStartupSetting(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { code?: unknown }).code === "08P01" &&
    /unsupported startup parameter/i.test(error.message)
  );
}

/** The statement timeout of the server connection `db` runs on, in milliseconds (0: none). */
export async function statementTimeoutOf(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ ms: string }>(
    "SELECT setting AS ms FROM pg_settings WHERE name = 'statement_timeout'",
  );
  return Number(rows[0]?.ms);
}

/** A connection that needed a session of its own (the migration lock, LISTEN) reached a pooler instead. */
export class PoolerConnection extends Error {
  override name = "PoolerConnection";
}

/**
 * pg settings for a session of its own at `url`: the statement timeout `statementTimeoutMs` (0: none) is sent at
 * connection start, in `options` beside any the URL has, so requireOwnSession can tell whether it reached the server.
 */
export function sessionConfig(url: string, statementTimeoutMs = 0): pg.ClientConfig {
  const parsed = parseIntoClientConfig(url);
  const options = [parsed.options, `-c statement_timeout=${statementTimeoutMs}`].filter(Boolean).join(" ");
  return { ...parsed, options };
}

/**
 * Checks that `db`, whose connections were made with sessionConfig(url, expectedMs), is a session of its own: its
 * first query fails when a pooler refused the setting, and reads another timeout when a pooler dropped it (unnoticed
 * only where the role's default is that same value). Throws PoolerConnection otherwise.
 */
export async function requireOwnSession(db: Queryable, expectedMs = 0): Promise<void> {
  let actual: number;
  try {
    actual = await statementTimeoutOf(db);
  } catch (error) {
    if (!refusedStartupSetting(error)) throw error;
    throw new PoolerConnection("it reaches a connection pooler, which refused a setting sent at connection start", {
      cause: error,
    });
  }
  if (actual !== expectedMs)
    throw new PoolerConnection("it reaches a connection pooler, which dropped a setting sent at connection start");
}

const HELD_BY_ROLE = `
  SELECT current_user AS role, current_database() AS database, EXISTS (
    SELECT 1 FROM pg_db_role_setting s
    JOIN pg_roles r ON r.oid = s.setrole
    JOIN pg_database d ON d.oid = s.setdatabase
    WHERE r.rolname = current_user AND d.datname = current_database() AND $1 = ANY (s.setconfig)
  ) AS held`;

/**
 * Makes `ms` the statement timeout of this role in this database (ALTER ROLE … IN DATABASE … SET), unless it is
 * already, and of the server connection `client` runs on. Server connections opened from then on start with it;
 * those a pooler opened before keep what they had until it replaces them. Returns what the role's default was.
 */
export async function holdStatementTimeoutForRole(
  client: Queryable,
  ms: number,
): Promise<{ role: string; database: string; changed: boolean }> {
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`a statement timeout is a whole number of milliseconds: ${ms}`);
  for (let attempt = 1; ; attempt++) {
    const { rows } = await client.query<{ role: string; database: string; held: boolean }>(HELD_BY_ROLE, [
      `statement_timeout=${ms}`,
    ]);
    const { role, database, held } = rows[0]!;
    // One transaction, so one server connection: the role's default and this connection's setting together.
    const set = `SET statement_timeout = ${ms}`;
    const alter = `ALTER ROLE ${pg.escapeIdentifier(role)} IN DATABASE ${pg.escapeIdentifier(database)} ${set}`;
    try {
      await client.query(held ? set : `${alter}; ${set}`);
      return { role, database, changed: !held };
    } catch (error) {
      // Another instance setting it at the same moment ("tuple concurrently updated", or the unique index): look again.
      const { code, message } = error as { code?: unknown; message?: unknown };
      const raced = code === "23505" || String(message).includes("tuple concurrently updated");
      if (!raced || attempt >= 3) throw error;
    }
  }
}

/**
 * A pg pool that finds out on its first connection whether it reaches a session of its own or a pooler. Its clients
 * send the statement timeout at connection start; a pooler refuses it (then they stop sending it) or drops it. Behind
 * a pooler the timeout is made this role's default in the database (holdStatementTimeoutForRole), so the pooler's
 * server connections carry it. Until the first connection succeeds, each connect tries again (a database that is
 * down at start-up is found later).
 */
export class PoolerAwarePool extends pg.Pool {
  #checked = false;
  #checking: Promise<void> | null = null;
  readonly #statementTimeoutMs: number;
  readonly #log: Log;

  constructor(config: pg.PoolConfig & { statement_timeout: number }, log: Log) {
    super(config);
    this.#statementTimeoutMs = config.statement_timeout;
    this.#log = log;
  }

  /** Whether the first connection found a pooler (null: not connected yet). */
  behindPooler: boolean | null = null;

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    if (this.#checked) return callback ? super.connect(callback) : super.connect();
    this.#checking ??= this.#check().finally(() => {
      this.#checking = null;
    });
    const connected = this.#checking.then(() => super.connect());
    if (!callback) return connected;
    connected.then(
      (client) => callback(undefined, client, client.release),
      (error: Error) => callback(error, undefined, () => undefined),
    );
  }

  async #check(): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await super.connect();
    } catch (error) {
      if (!refusedStartupSetting(error)) throw error;
      this.options.statement_timeout = undefined;
      client = await super.connect();
      return this.#behindPooler(client, "refused");
    }
    let dropped: boolean;
    try {
      dropped = (await statementTimeoutOf(client)) !== this.#statementTimeoutMs;
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    if (dropped) return this.#behindPooler(client, "dropped");
    client.release();
    this.behindPooler = false;
    this.#checked = true;
  }

  async #behindPooler(client: pg.PoolClient, setting: "refused" | "dropped"): Promise<void> {
    const ms = this.#statementTimeoutMs;
    try {
      const { role, database, changed } = await holdStatementTimeoutForRole(client, ms);
      client.release();
      this.#log.info(
        { role, database, statementTimeoutMs: ms, startupSetting: setting, roleDefaultChanged: changed },
        "the database is reached through a connection pooler: the statement timeout is held as this role's default in this database",
      );
    } catch (error) {
      client.release(error as Error);
      // The app still works; its client-side bound (a second longer) then stops waiting, but the server does not cancel.
      this.#log.error(
        { err: error, statementTimeoutMs: ms },
        `the database is reached through a connection pooler and the statement timeout could not be set as this role's default (ALTER ROLE … IN DATABASE … SET statement_timeout = ${ms}): the server will not cancel long statements`,
      );
    }
    this.behindPooler = true;
    this.#checked = true;
  }
}
