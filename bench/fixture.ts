// The benchmark's world: a fresh PostgreSQL database, migrated, with many signed-in users and their tasks.
// Rows are written with SQL (one password hash for everyone); sessions are rows plus the signed cookie a
// browser would hold, exactly as Better Auth signs it.
import { randomBytes, randomUUID } from "node:crypto";
import { spawn } from "node:child_process";
import pg from "pg";
import { makeSignature } from "better-auth/crypto";
import { hashPassword } from "../src/server/auth/password-hashing";
import { adminQuery, databaseUrl } from "../src/test/postgres-admin";

/** In production (useSecureCookies) Better Auth names its session cookie with the __Secure- prefix. */
const SESSION_COOKIE = "__Secure-better-auth.session_token";
const SESSION_DAYS = 7;

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
 * `users` verified users with `tasksPerUser` tasks each (createdAt a minute apart) and one session each;
 * returns the Cookie header of every session.
 */
export async function seed(
  url: string,
  secret: string,
  users: number,
  tasksPerUser: number,
): Promise<{ cookies: string[]; password: string }> {
  const password = `bench-${randomBytes(9).toString("base64url")}`;
  const passwordHash = await hashPassword(password);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const ids = Array.from({ length: users }, () => randomUUID());
    const tokens = ids.map(() => randomBytes(24).toString("base64url"));
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO users (id, name, email, email_verified, role, updated_at)
       SELECT id, 'Bench user ' || n, 'bench-' || n || '@example.com', true, 'user', now()
       FROM unnest($1::text[]) WITH ORDINALITY AS u(id, n)`,
      [ids],
    );
    await client.query(
      `INSERT INTO accounts (id, account_id, provider_id, user_id, password, updated_at)
       SELECT gen_random_uuid()::text, id, 'credential', id, $2, now() FROM unnest($1::text[]) AS u(id)`,
      [ids, passwordHash],
    );
    await client.query(
      `INSERT INTO tasks (id, title, user_id, created_at, updated_at)
       SELECT gen_random_uuid(), 'Task ' || g, u.id, now() - g * interval '1 minute', now()
       FROM unnest($1::text[]) AS u(id), generate_series(1, $2::int) AS g`,
      [ids, tasksPerUser],
    );
    await client.query(
      `INSERT INTO sessions (id, token, user_id, expires_at, updated_at, ip_address, user_agent)
       SELECT gen_random_uuid()::text, token, id, now() + make_interval(days => $3), now(), '127.0.0.1', 'autocannon'
       FROM unnest($1::text[], $2::text[]) AS s(id, token)`,
      [ids, tokens, SESSION_DAYS],
    );
    await client.query("COMMIT");
    await client.query("ANALYZE");
    const cookies = await Promise.all(
      tokens.map(async (token) => {
        const signed = `${token}.${await makeSignature(token, secret)}`;
        return `${SESSION_COOKIE}=${encodeURIComponent(signed)}`;
      }),
    );
    return { cookies, password };
  } finally {
    await client.end();
  }
}
