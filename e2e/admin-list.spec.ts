// The admin users list: banned users as a filter kept in the URL, each user's email confirmation and last activity,
// and activity that names the administrator who acted. Small things: the sign-in page focuses the email field.
import { createUser, expect, seriousViolations, signInAs, sql, test } from "./support/fixtures";

test("the sign-in page has focus in the email field", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByLabel("Email")).toBeFocused();
});

test("an admin filters banned users, sees confirmation and last activity, and who acted", async ({ page, context }) => {
  const tag = `Filter ${Date.now()}`;
  const admin = await createUser({ role: "admin", name: "Grace Admin" });
  const other = await createUser({ role: "admin", name: "Robin Admin" });
  const banned = await createUser({ name: `${tag} banned` });
  const active = await createUser({ name: `${tag} active` });
  await sql(`UPDATE users SET banned = true, ban_reason = 'Spam', email_verified = false WHERE id = $1`, [banned.id]);
  await sql(`INSERT INTO auth_events (id, type, user_id, detail) VALUES (gen_random_uuid(), 'banned', $1, $2)`, [
    banned.id,
    JSON.stringify({ by: other.id, reason: "Spam" }),
  ]);
  await signInAs(context, active.id);
  await context.clearCookies();
  await signInAs(context, admin.id);

  await page.goto(`/admin/users?q=${encodeURIComponent(tag)}`);
  const rows = page.getByTestId("admin-user");
  await expect(rows).toHaveCount(2);
  const activeRow = rows.filter({ hasText: `${tag} active` });
  await expect(activeRow).toContainText("email confirmed");
  await expect(activeRow).toContainText(/last active (just now|\d+ seconds? ago)/);
  const bannedRow = rows.filter({ hasText: `${tag} banned` });
  await expect(bannedRow).toContainText("email not confirmed");
  await expect(bannedRow).toContainText("not signed in anywhere");

  await page.getByRole("navigation", { name: "Filter users" }).getByRole("link", { name: "Banned" }).click();
  await expect(page).toHaveURL(/\/admin\/users\?q=Filter\+\d+&banned=1$/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${tag} banned`);
  await page.reload();
  await expect(rows).toHaveCount(1);
  // A search keeps the filter.
  await page.getByRole("searchbox", { name: "Search users by name or email" }).fill(`${tag} active`);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/banned=1/);
  await expect(page.getByText(`No banned user matches “${tag} active”.`)).toBeVisible();

  await page.goto(`/admin/users?q=${encodeURIComponent(`${tag} banned`)}`);
  await rows
    .first()
    .getByRole("button", { name: `Activity of ${tag} banned` })
    .click();
  await expect(rows.first().getByRole("list", { name: "Account activity" })).toContainText(
    "Banned by Robin Admin · “Spam”",
  );
  expect(await seriousViolations(page)).toEqual([]);
});
