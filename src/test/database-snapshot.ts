// Every row a call could change, as (table, id, owner, hash of the whole row), read in one statement: comparing two
// snapshots tells which rows a call added, removed or changed, and whose they were.
import { db } from "@/server/db";

/**
 * The tables a procedure may write. `rate_limits` is left out on purpose: its counters count attempts, refused
 * ones included (that is what makes them limits), and with REDIS_URL they are not in the database at all.
 */
export const SNAPSHOT_TABLES = [
  "users",
  "sessions",
  "accounts",
  "verifications",
  "jwks",
  "tasks",
  "auth_events",
] as const;
export type SnapshotTable = (typeof SNAPSHOT_TABLES)[number];

export type SnapshotRow = {
  table: SnapshotTable;
  id: string;
  /** The user the row belongs to (a user row owns itself); null for rows of no one. */
  owner: string | null;
  /** What the rules need to read without another query: a user's "role banned", a task's version, an event's type. */
  detail: string | null;
  hash: string;
};

export type Snapshot = ReadonlyMap<string, SnapshotRow>;

const keyOf = (row: Pick<SnapshotRow, "table" | "id">) => `${row.table}/${row.id}`;

export async function snapshotDatabase(): Promise<Snapshot> {
  const rows = await db.$queryRaw<SnapshotRow[]>`
    SELECT 'users' AS "table", id, id AS owner, role || ' ' || banned::text AS detail, md5(t::text) AS hash FROM users t
    UNION ALL SELECT 'sessions', id, user_id, NULL, md5(t::text) FROM sessions t
    UNION ALL SELECT 'accounts', id, user_id, provider_id, md5(t::text) FROM accounts t
    UNION ALL SELECT 'verifications', id, NULL, NULL, md5(t::text) FROM verifications t
    UNION ALL SELECT 'jwks', id, NULL, NULL, md5(t::text) FROM jwks t
    UNION ALL SELECT 'tasks', id::text, user_id, version::text, md5(t::text) FROM tasks t
    UNION ALL SELECT 'auth_events', id::text, user_id, type, md5(t::text) FROM auth_events t`;
  return new Map(rows.map((row) => [keyOf(row), row]));
}

export type Changes = {
  added: SnapshotRow[];
  removed: SnapshotRow[];
  changed: { before: SnapshotRow; after: SnapshotRow }[];
};

export function changesBetween(before: Snapshot, after: Snapshot): Changes {
  const changes: Changes = { added: [], removed: [], changed: [] };
  for (const [key, row] of after) {
    const old = before.get(key);
    if (!old) changes.added.push(row);
    else if (old.hash !== row.hash) changes.changed.push({ before: old, after: row });
  }
  for (const [key, row] of before) if (!after.has(key)) changes.removed.push(row);
  return changes;
}

/** Rows of `table` in a snapshot, optionally only those of one owner, in id order. */
export function rowsOf(snapshot: Snapshot, table: SnapshotTable, owner?: string): SnapshotRow[] {
  return [...snapshot.values()]
    .filter((row) => row.table === table && (owner === undefined || row.owner === owner))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Changes as sorted lines a rule can be compared with: "+ tasks: owner", "- sessions: other",
 * "~ users: admin", "~ auth_events(sign-up): owner → nobody", with owners named by `nameOf`.
 */
export function describeChanges(changes: Changes, nameOf: (userId: string | null) => string): string[] {
  const label = (row: SnapshotRow) => (row.table === "auth_events" ? `auth_events(${row.detail})` : row.table);
  return [
    ...changes.added.map((row) => `+ ${label(row)}: ${nameOf(row.owner)}`),
    ...changes.removed.map((row) => `- ${label(row)}: ${nameOf(row.owner)}`),
    ...changes.changed.map(({ before, after }) =>
      before.owner === after.owner
        ? `~ ${label(after)}: ${nameOf(after.owner)}`
        : `~ ${label(after)}: ${nameOf(before.owner)} → ${nameOf(after.owner)}`,
    ),
  ].sort();
}
