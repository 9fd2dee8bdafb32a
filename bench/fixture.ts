// The benchmark's world: a fresh PostgreSQL database, migrated, with many signed-in users and their tasks.
// Users and sessions are written with SQL by the fixture kit (src/test/fixtures/sql.ts: one password hash for
// everyone), which also gives each session the signed cookie a browser would hold, exactly as Better Auth signs it.
import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import pg from "pg";
import { hashPassword } from "../src/server/auth/password-hashing";
import { sessionCookie } from "../src/server/auth/session-cookie-format";
import { insertSessions, insertUsers } from "../src/test/fixtures/sql";
import { adminQuery, databaseUrl } from "../src/test/postgres-admin";

/** Long enough that no session is due for Better Auth's sliding refresh (a write) during a run. */
const SESSION_SECONDS = 7 * 24 * 3600;

export async function createDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `taskforge_bench_${randomBytes(4).toString("hex")}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  return {
    url: databaseUrl(serverUrl, name),
    drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** `npm run db:migrate` against the database, as a release step would run it. */
export function migrate(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "db:migrate"], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: "inherit",
    });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`npm run db:migrate exited with ${code}`))));
  });
}

/**
 * `users` verified users with `tasksPerUser` tasks each (createdAt a minute apart) and one session each; returns the
 * Cookie header of every session as the production server names it (`__Secure-`), and as a server on plain HTTP does.
 */
export async function seed(
  url: string,
  secret: string,
  users: number,
  tasksPerUser: number,
): Promise<{ cookies: string[]; plainHttpCookies: string[]; password: string }> {
  const password = `bench-${randomBytes(9).toString("base64url")}`;
  const passwordHash = await hashPassword(password);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    const rows = await insertUsers(
      client,
      Array.from({ length: users }, (_, i) => ({
        name: `Bench user ${i + 1}`,
        email: `bench-${i + 1}@example.com`,
        role: "user" as const,
      })),
      { passwordHash },
    );
    await client.query(
      `INSERT INTO tasks (id, title, user_id, created_at, updated_at)
       SELECT gen_random_uuid(), 'Task ' || g, u.id, now() - g * interval '1 minute', now()
       FROM unnest($1::text[]) AS u(id), generate_series(1, $2::int) AS g`,
      [rows.map((row) => row.id), tasksPerUser],
    );
    const sessions = await insertSessions(
      client,
      rows,
      { secret, secure: true },
      { expiresInSeconds: SESSION_SECONDS, userAgent: "autocannon", ipAddress: "127.0.0.1" },
    );
    await client.query("COMMIT");
    await client.query("ANALYZE");
    const plainHttpCookies = await Promise.all(
      sessions.map(async (session) => (await sessionCookie(session.token, { secret, secure: false })).header),
    );
    return { cookies: sessions.map((session) => session.cookie.header), plainHttpCookies, password };
  } finally {
    await client.end();
  }
}
