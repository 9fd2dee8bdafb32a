// Every page: no serious or critical axe violations, in light and dark; screenshots for docs/screenshots/.
import { mkdirSync } from "node:fs";
import type { Page } from "@playwright/test";
import { hashPassword } from "../src/server/auth/password-hashing";
import { insertPasswords } from "../src/test/fixtures/sql";
import {
  createGivenUpMail,
  createInvitation,
  createOrganization,
  createTasks,
  createUser,
  database,
  type E2EUser,
  expect,
  seriousViolations,
  signInAs,
  sql,
  test,
} from "./support/fixtures";

const SHOTS = "docs/screenshots";
mkdirSync(SHOTS, { recursive: true });

const PUBLIC_PAGES = {
  landing: "/",
  "sign-up": "/sign-up",
  "sign-in": "/sign-in",
  "sign-in-second-factor": "/sign-in/second-factor",
  "sign-in-email-link": "/sign-in/email-link",
  "sign-in-email-link-open": "/sign-in/email-link?token=example",
  "verify-email": "/verify-email",
  "verify-email-confirm": "/verify-email?token=example",
  "forgot-password": "/forgot-password",
  "change-email": "/change-email?token=example",
  "reset-password": "/reset-password?token=example",
  "not-found": "/no-such-page",
} as const;

const SIGNED_IN_PAGES = {
  tasks: "/tasks",
  settings: "/settings",
  "admin-users": "/admin/users",
  "admin-mail": "/admin/mail",
  "admin-organizations": "/admin/organizations",
  "org-new": "/org/new",
  device: "/device",
} as const;

/** The page's heading once it is rendered: not the one of a loading outline (aria-busy), gone or on its way out. */
async function renderedHeading(page: Page) {
  await expect(page.locator("main[aria-busy='true']")).toHaveCount(0);
  return page.locator("main h1");
}

/**
 * The organization pages as `user` sees them: the members page of an organization they own (a member, a pending
 * invitation), and an invitation to another organization addressed to them.
 */
async function organizationPages(user: E2EUser): Promise<Record<string, string>> {
  const colleague = await createUser({ name: "Jordan Lee" });
  const team = await createOrganization("Design Team", [
    { userId: user.id, role: "owner" },
    { userId: colleague.id, role: "member" },
  ]);
  await createInvitation(team.id, "alex.kim@example.com", user.id);
  const other = await createOrganization("Field Operations", [{ userId: colleague.id, role: "owner" }]);
  return {
    "org-members": `/org/${team.slug}/members`,
    invitation: `/invitations/${await createInvitation(other.id, user.email, colleague.id)}`,
  };
}

// One test per page and colour scheme: axe takes seconds a page on 2 cores, too long for all pages in one test.
for (const scheme of ["light", "dark"] as const) {
  for (const [name, path] of Object.entries(PUBLIC_PAGES)) {
    test(`${name} passes axe (serious and critical) in ${scheme} mode`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(path);
      await expect(page.locator("main")).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
  for (const [name, path] of Object.entries(SIGNED_IN_PAGES)) {
    test(`${name}, signed in as an admin, passes axe (serious and critical) in ${scheme} mode`, async ({
      page,
      context,
    }) => {
      await page.emulateMedia({ colorScheme: scheme });
      const admin = await createUser({ role: "admin", name: "Morgan Admin" });
      await createTasks(admin.id, ["Plan the sprint", "Review pull requests", "Book the venue"]);
      await signInAs(context, admin.id);
      await page.goto(path);
      await expect(await renderedHeading(page)).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
  test(`the organization pages (members, invitation) pass axe (serious and critical) in ${scheme} mode`, async ({
    page,
    context,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const user = await createUser({ name: "Sam Rivera" });
    await signInAs(context, user.id);
    for (const path of Object.values(await organizationPages(user))) {
      await page.goto(path);
      await expect(await renderedHeading(page)).toBeVisible();
      await expect(page.getByText(/^Loading/)).toHaveCount(0);
      expect(await seriousViolations(page), path).toEqual([]);
    }
  });
}

// One test per screen size, each given three times the usual time: some twenty pages a size, each rendered twice.
for (const [device, viewport] of [
  ["desktop", { width: 1280, height: 800 }],
  ["phone", { width: 360, height: 740 }],
] as const) {
  test(`screenshots of the main pages, ${device}`, async ({ browser }) => {
    test.slow();
    const user = await createUser({ role: "admin", name: "Sam Rivera" });
    // With a password, as most accounts have, so settings shows its change-password form.
    await insertPasswords(database, [user], await hashPassword("plaid-otter-quarry-91"));
    await createTasks(user.id, [
      "Renew the passport",
      "Send the invoice to ACME",
      "Water the plants",
      "Prepare the quarterly review",
    ]);
    await sql(
      `INSERT INTO tasks (id, title, priority, due_at, user_id, created_at, updated_at)
     VALUES (gen_random_uuid(), 'Pay the electricity bill', 'high', now() - interval '2 days', $1, now() - interval '1 hour', now())`,
      [user.id],
    );
    await sql(
      `INSERT INTO auth_events (id, type, user_id, ip, detail, created_at) VALUES
     (gen_random_uuid(), 'sign-in-failed', $1, '203.0.113.7', '{"reason":"INVALID_EMAIL_OR_PASSWORD"}', now() - interval '3 hours'),
     (gen_random_uuid(), 'password-changed', $1, '203.0.113.7', '{}', now() - interval '2 hours')`,
      [user.id],
    );
    await createGivenUpMail("jordan.lee@example.com");
    {
      const context = await browser.newContext({ viewport, deviceScaleFactor: device === "phone" ? 2 : 1 });
      const page = await context.newPage();
      for (const [name, path] of Object.entries(PUBLIC_PAGES)) {
        await page.goto(path);
        await expect(page.locator("main")).toBeVisible();
        await page.screenshot({ path: `${SHOTS}/${name}-${device}.png`, fullPage: true });
      }
      await page.goto("/sign-up");
      await page.getByRole("button", { name: "Use a passkey instead of a password" }).click();
      await page.screenshot({ path: `${SHOTS}/sign-up-passkey-${device}.png`, fullPage: true });
      await page.goto("/sign-up");
      await page.getByLabel("Password", { exact: true }).fill("correct-horse");
      // The meter's rule (zxcvbn) is downloaded at the first keystroke: wait for its verdict.
      await expect(page.getByText(/^Strength: /)).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/sign-up-meter-${device}.png`, fullPage: true });
      // After a refused submit, the errors of the fields filled in since are gone.
      await page.goto("/sign-up");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByLabel("Name").fill("Sam Rivera");
      await expect(page.getByText("Name is required")).toHaveCount(0);
      await page.screenshot({ path: `${SHOTS}/sign-up-errors-${device}.png`, fullPage: true });
      await signInAs(context, user.id);
      const signedInPages = {
        ...SIGNED_IN_PAGES,
        "tasks-overdue": "/tasks?show=overdue",
        ...(await organizationPages(user)),
      };
      for (const [name, path] of Object.entries(signedInPages)) {
        await page.goto(path);
        await expect(await renderedHeading(page)).toBeVisible();
        await page.screenshot({ path: `${SHOTS}/${name}-${device}.png`, fullPage: true });
      }
      await context.close();
    }
  });
}
