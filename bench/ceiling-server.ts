// The ladder's ceiling: the same authenticated work as the app's cookie `task.list` and `task.create`, written by hand
// on node:http and pg with prepared statements, no framework and no ORM. It checks the session cookie's HMAC as
// Better Auth signs it, reads the session joined with its user, refuses an expired session or a banned user, runs the
// app's query (the 21 newest tasks by the (user_id, created_at, id) index) or its INSERT, and answers in tRPC's
// envelope with superjson's Date annotations, byte for byte the shape the app sends. What the app does beyond this
// (rate limits, audit, access log, request ids, CSRF) is what the targets allow it to cost.
// Reads DATABASE_URL and BETTER_AUTH_SECRET; prints its port on stdout once listening.
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import http from "node:http";
import pg from "pg";

const secret = process.env.BETTER_AUTH_SECRET ?? "";
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const COOKIE = "__Secure-better-auth.session_token=";
const LIMIT = 20;

type TaskRow = {
  id: string;
  title: string;
  description: string;
  completed: boolean;
  priority: string;
  dueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
};
const TASK_COLUMNS = `id, title, description, completed, priority, due_at AS "dueAt", created_at AS "createdAt",
  updated_at AS "updatedAt", version`;

/** The user behind the request's session cookie, or null: HMAC checked in place, then one joined read. */
async function userOf(cookieHeader: string | undefined): Promise<string | null> {
  const start = cookieHeader?.indexOf(COOKIE) ?? -1;
  if (!cookieHeader || start < 0) return null;
  const end = cookieHeader.indexOf(";", start);
  const value = decodeURIComponent(cookieHeader.slice(start + COOKIE.length, end < 0 ? undefined : end));
  const dot = value.lastIndexOf(".");
  const token = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1), "base64");
  const expected = createHmac("sha256", secret).update(token).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const { rows } = await pool.query<{ userId: string; expiresAt: Date; banned: boolean | null }>({
    name: "session",
    text: `SELECT s.user_id AS "userId", s.expires_at AS "expiresAt", u.banned
           FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token = $1`,
    values: [token],
  });
  const session = rows[0];
  return session && session.expiresAt.getTime() > Date.now() && !session.banned ? session.userId : null;
}

/** superjson's form of a task (dates as ISO strings) and the annotations of its Date fields under `prefix`. */
function serialiseTask(task: TaskRow, prefix: string, values: Record<string, ["Date"]>) {
  if (task.dueAt) values[`${prefix}.dueAt`] = ["Date"];
  values[`${prefix}.createdAt`] = ["Date"];
  values[`${prefix}.updatedAt`] = ["Date"];
  return {
    ...task,
    dueAt: task.dueAt?.toISOString() ?? null,
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
  };
}

function answer(response: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

async function list(userId: string) {
  const { rows } = await pool.query<TaskRow>({
    name: "list",
    text: `SELECT ${TASK_COLUMNS} FROM tasks WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
    values: [userId, LIMIT + 1],
  });
  const values: Record<string, ["Date"]> = {};
  const items = rows.slice(0, LIMIT).map((task, i) => serialiseTask(task, `items.${i}`, values));
  const last = rows.length > LIMIT ? rows[LIMIT - 1] : undefined;
  const nextCursor = last
    ? Buffer.from(JSON.stringify(["newest", last.createdAt.toISOString(), last.id])).toString("base64url")
    : null;
  return { json: { items, nextCursor }, meta: { values, v: 1 } };
}

async function create(userId: string, body: string) {
  const title = String((JSON.parse(body) as { json?: { title?: unknown } }).json?.title ?? "").trim();
  const { rows } = await pool.query<TaskRow>({
    name: "create",
    text: `INSERT INTO tasks (id, title, user_id) VALUES ($1, $2, $3) RETURNING ${TASK_COLUMNS}`,
    values: [randomUUID(), title, userId],
  });
  const values: Record<string, ["Date"]> = {};
  const task = serialiseTask(rows[0] as TaskRow, "", values);
  // At the top level superjson's paths have no leading dot.
  const top = Object.fromEntries(Object.entries(values).map(([key, value]) => [key.slice(1), value]));
  return { json: task, meta: { values: top, v: 1 } };
}

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    void (async () => {
      const userId = await userOf(request.headers.cookie);
      if (!userId) return answer(response, 401, { error: { json: { message: "UNAUTHORIZED" } } });
      const data =
        request.method === "POST" ? await create(userId, Buffer.concat(chunks).toString()) : await list(userId);
      answer(response, 200, { result: { data } });
    })().catch((error: unknown) => answer(response, 500, { error: { json: { message: String(error) } } }));
  });
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object") console.log(address.port);
});
