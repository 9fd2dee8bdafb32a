// Fixtures: users and sessions written straight into the run's database (by the fixture kit's
// src/test/fixtures/sql.ts), and a signed-in page made by setting the session cookie, so specs that do not test
// sign-in skip it (as the Epic Stack does).
import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, test as base, expect, type Page } from "@playwright/test";
import pg from "pg";
import { sessionCookieName } from "@/server/auth/session-cookie-format";
import { insertSessions, insertUsers, type SqlUser } from "@/test/fixtures/sql";
import { DATABASE_URL, SECRET } from "./env";

export { expect };

export type E2EUser = SqlUser;

/** The run's database, which the server reads: for `sql` here and the kit's SQL fixtures. */
export const database = new pg.Pool({ connectionString: DATABASE_URL, max: 2, allowExitOnIdle: true });

export async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await database.query<T>(text, values)).rows;
}

/** The production server's session cookies: signed with its secret, secure (`__Secure-` prefixed). */
export const SERVER_COOKIE_FORMAT = { secret: SECRET, secure: true };

/** The name of the production server's session cookie, as Better Auth names it. */
export const SESSION_COOKIE_NAME = sessionCookieName(SERVER_COOKIE_FORMAT.secure);

/** A verified user without a password (fixtures sign in with a session, not a form). */
export async function createUser(options: { role?: "user" | "admin"; name?: string } = {}): Promise<E2EUser> {
  const id = randomUUID();
  const [user] = await insertUsers(database, [
    {
      id,
      email: `user-${id.slice(0, 8)}@e2e.test`,
      name: options.name ?? "Casey Tester",
      role: options.role ?? "user",
    },
  ]);
  if (!user) throw new Error("no user was inserted");
  return user;
}

/** A fresh session for `userId` in the database and its signed cookie in `context`. */
export async function signInAs(context: BrowserContext, userId: string): Promise<void> {
  const [session] = await insertSessions(database, [{ id: userId }], SERVER_COOKIE_FORMAT, {
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 e2e",
    ipAddress: "127.0.0.1",
  });
  if (!session) throw new Error("no session was inserted");
  // Chromium accepts the production cookie (Secure, __Secure- prefix) on http://localhost.
  await context.addCookies([
    {
      name: session.cookie.name,
      value: session.cookie.value,
      domain: "localhost",
      path: "/",
      httpOnly: true,
      secure: true,
      sameSite: "Lax",
    },
  ]);
}

/** Another browser (own cookies) signed in as `userId`, showing its tasks: the "other device" of session tests. */
export async function openOtherDevice(
  browser: Browser,
  userId: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  await signInAs(context, userId);
  const page = await context.newPage();
  await page.goto("/tasks");
  await expect(page.getByRole("heading", { name: "Your tasks" })).toBeVisible();
  return { context, page };
}

/** A mail the outbox gave up after its 8 attempts, as the worker leaves it; returns its id. */
export async function createGivenUpMail(to: string): Promise<string> {
  const [row] = await sql<{ id: string }>(
    `INSERT INTO email_outbox (id, recipient, template, subject, text, html, status, attempts, last_error, next_attempt_at, created_at)
     VALUES (gen_random_uuid(), $1, 'reset-password', 'Taskforge: reset your password', $2, $3, 'failed', 8,
             'connect ECONNREFUSED 127.0.0.1:2525', now(), now() - interval '2 hours')
     RETURNING id`,
    [to, "Choose a new password: http://localhost/reset-password?token=e2e", "<p>Choose a new password</p>"],
  );
  if (!row) throw new Error("the mail was not written");
  return row.id;
}

export async function createTasks(userId: string, titles: string[]): Promise<void> {
  for (const [index, title] of titles.entries()) {
    await sql(
      `INSERT INTO tasks (id, title, user_id, created_at, updated_at) VALUES (gen_random_uuid(), $1, $2, now() - make_interval(secs => $3), now())`,
      [title, userId, titles.length - index],
    );
  }
}

/** An organization with these members (the first is usually its owner) and tasks; returns its id and slug. */
export async function createOrganization(
  name: string,
  members: { userId: string; role: "owner" | "admin" | "member" | "viewer" }[],
  taskTitles: string[] = [],
): Promise<{ id: string; slug: string }> {
  const id = randomUUID();
  const slug = `team-${id.slice(0, 8)}`;
  await sql("INSERT INTO organizations (id, name, slug, created_at) VALUES ($1, $2, $3, now())", [id, name, slug]);
  for (const member of members)
    await sql("INSERT INTO members (id, organization_id, user_id, role, created_at) VALUES ($1, $2, $3, $4, now())", [
      randomUUID(),
      id,
      member.userId,
      member.role,
    ]);
  for (const title of taskTitles)
    await sql(
      "INSERT INTO tasks (id, title, organization_id, created_by_id, created_at, updated_at) VALUES (gen_random_uuid(), $1, $2, $3, now(), now())",
      [title, id, members[0]?.userId ?? null],
    );
  return { id, slug };
}

/** A pending invitation to `email`, valid for 7 days; returns its id (the page /invitations/<id>). */
export async function createInvitation(organizationId: string, email: string, inviterId: string): Promise<string> {
  const id = randomUUID();
  await sql(
    `INSERT INTO invitations (id, organization_id, email, role, status, expires_at, inviter_id)
     VALUES ($1, $2, $3, 'member', 'pending', now() + interval '7 days', $4)`,
    [id, organizationId, email, inviterId],
  );
  return id;
}

/** Serious and critical accessibility violations on the page as it is now (WCAG 2.1 A and AA). */
export async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      nodes: violation.nodes.map((node) => node.target.join(" ")),
    }));
}

export const test = base.extend<{ user: E2EUser; userPage: Page }>({
  user: async ({}, use) => use(await createUser()),
  /** A page signed in as `user`. */
  userPage: async ({ page, context, user }, use) => {
    await signInAs(context, user.id);
    await use(page);
  },
});

type RefusedCall = { status?: number; code?: string; message?: string; zodError?: unknown };
const JSON_RPC_CODES: Record<string, number> = {
  BAD_REQUEST: -32600,
  NOT_FOUND: -32004,
  INTERNAL_SERVER_ERROR: -32603,
};

/** The procedures one (batched) tRPC request calls, from its path: /api/trpc/task.list,task.stats */
function calledProcedures(url: URL): string[] {
  return url.pathname.startsWith("/api/trpc/")
    ? decodeURIComponent(url.pathname.slice("/api/trpc/".length)).split(",")
    : [];
}

/**
 * The server refuses every request calling `procedure` (e.g. "task.create") from now on, answering each call of
 * it in tRPC's error shape; returns the function that lets requests through again.
 */
export async function refuseCalls(
  page: Page,
  procedure: string,
  refusal: RefusedCall = {},
): Promise<() => Promise<void>> {
  const { status = 500, code = "INTERNAL_SERVER_ERROR", message = "Server unavailable.", zodError = null } = refusal;
  const matches = (url: URL) => calledProcedures(url).includes(procedure);
  const error = {
    error: { json: { message, code: JSON_RPC_CODES[code] ?? -32603, data: { code, httpStatus: status, zodError } } },
  };
  await page.route(matches, (route) =>
    route.fulfill({
      status,
      contentType: "application/json",
      body: JSON.stringify(calledProcedures(new URL(route.request().url())).map(() => error)),
    }),
  );
  return () => page.unroute(matches);
}

/** Requests calling `procedure` reach the server `ms` later than they are made, so a second one can start meanwhile. */
export async function delayCalls(page: Page, procedure: string, ms: number): Promise<void> {
  await page.route(
    (url) => calledProcedures(url).includes(procedure),
    async (route) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      await route.continue();
    },
  );
}
