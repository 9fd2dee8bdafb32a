// Database round trips per authenticated call, counted (not timed) at the driver adapter. Sessions stay in the
// database with no cookie cache (a revoked session fails on its next request), so a cookie costs the session
// read; a JWT costs none.
import { beforeAll, describe, expect, it } from "vitest";
import { tokenRevocation } from "@/server/auth/access-token-revocation";
import { db } from "@/server/db";
import { callerWithHeaders, createOrganization, createUser, signIn } from "@/test/fixtures";
import { authRequest } from "@/test/http";
import { statementsDuring } from "@/test/statement-counter";

let cookieHeaders: Headers;
let jwtHeaders: Headers;
let organizationId: string;

beforeAll(async () => {
  // JWT calls need no statement once the revocation channel listens (Redis or LISTEN/NOTIFY come up asynchronously;
  // until then a JWT's session is checked in the database).
  tokenRevocation.start();
  for (let i = 0; i < 100 && !tokenRevocation.state().up; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const user = await createUser();
  await db.task.createMany({ data: Array.from({ length: 25 }, (_, n) => ({ title: `Task ${n}`, userId: user.id })) });
  organizationId = (await createOrganization([[user, "viewer"]])).id;
  await db.task.createMany({
    data: Array.from({ length: 25 }, (_, n) => ({ title: `Shared ${n}`, organizationId, createdById: user.id })),
  });
  ({ headers: cookieHeaders } = await signIn(user));
  const minted = await authRequest("/token", { headers: { cookie: cookieHeaders.get("cookie") ?? "" } });
  const { token } = (await minted.json()) as { token: string };
  jwtHeaders = new Headers({ authorization: `Bearer ${token}` });
});

/** The statements of one task.list call (20 rows), after a first call has warmed caches (e.g. the JWKS). */
async function taskListStatements(headers: Headers, space: { organizationId?: string } = {}): Promise<string[]> {
  expect((await (await callerWithHeaders(headers)).task.list({ limit: 20, ...space })).items).toHaveLength(20);
  const statements = await statementsDuring(async () =>
    (await callerWithHeaders(headers)).task.list({ limit: 20, ...space }),
  );
  return statements.map((statement) => statement.sql);
}

describe("task.list round trips", () => {
  // The session with its user is one joined query: the cookie's short way writes it so; Better Auth's own read
  // (FAST_PATHS=off) needs database.joins and Prisma's relationJoins, without which it sends two and this test fails.
  it("with a session cookie: at most 2 (the session and its user, then the tasks)", async () => {
    const statements = await taskListStatements(cookieHeaders);
    expect(statements.length, statements.join("\n")).toBeLessThanOrEqual(2);
  });

  // The membership and role are read on every call (a removed member is refused at once): one statement more.
  it("an organization's list: one statement more than a personal one", async () => {
    const personal = await taskListStatements(cookieHeaders);
    const shared = await taskListStatements(cookieHeaders, { organizationId });
    expect(shared.length, shared.join("\n")).toBe(personal.length + 1);
    const jwt = await taskListStatements(jwtHeaders, { organizationId });
    expect(jwt, jwt.join("\n")).toHaveLength(2);
  });

  it("with a JWT: 1 (the tasks)", async () => {
    const statements = await taskListStatements(jwtHeaders);
    expect(statements, statements.join("\n")).toHaveLength(1);
  });
});
