// Administration: promote, ban (the banned user's open tab is signed out at its next action), unban, activity.
import { createUser, expect, signInAs, test } from "./support/fixtures";

test("an admin promotes and bans a user, whose open tab is signed out on its next action", async ({ page, context, browser }) => {
  const admin = await createUser({ role: "admin", name: "Grace Admin" });
  const target = await createUser({ name: `Target ${Date.now()}` });
  await signInAs(context, admin.id);

  const targetContext = await browser.newContext();
  await signInAs(targetContext, target.id);
  const targetPage = await targetContext.newPage();
  await targetPage.goto("/tasks");
  await expect(targetPage.getByRole("heading", { name: "Your tasks" })).toBeVisible();

  await page.goto("/admin/users");
  await page.getByRole("searchbox", { name: "Search users by name or email" }).fill(target.name);
  await page.getByRole("button", { name: "Search" }).click();
  const row = page.getByTestId("admin-user").filter({ hasText: target.email });
  await expect(row).toHaveCount(1);

  await row.getByLabel(`Role of ${target.name}`).selectOption("admin");
  await expect(page.getByText(`${target.name} is now an administrator.`)).toBeVisible();
  await row.getByLabel(`Role of ${target.name}`).selectOption("user");
  await expect(page.getByText(`${target.name} is now a user.`)).toBeVisible();

  await row.getByRole("button", { name: `Ban ${target.name}` }).click();
  await row.getByLabel("Reason").fill("Spam");
  await row.getByRole("button", { name: "Ban", exact: true }).click();
  await expect(page.getByText(`${target.name} is banned and signed out everywhere.`)).toBeVisible();
  await expect(row).toContainText("banned: Spam");

  // The banned user's tab still shows the page; its next action finds the session gone.
  await targetPage.getByLabel("Title").fill("One more thing");
  await targetPage.getByRole("button", { name: "Add task" }).click();
  await expect(targetPage).toHaveURL(/\/sign-in\?callbackUrl=%2Ftasks&reason=session-ended/);
  await expect(targetPage.getByText("Your session has ended")).toBeVisible();
  await targetContext.close();

  await row.getByRole("button", { name: `Activity of ${target.name}` }).click();
  await expect(row.getByRole("list", { name: "Account activity" })).toContainText("banned");
  await row.getByRole("button", { name: `Unban ${target.name}` }).click();
  await expect(page.getByText(`${target.name} is no longer banned.`)).toBeVisible();
});

test("the admin pages do not exist for other users", async ({ userPage }) => {
  const response = await userPage.goto("/admin/users");
  expect(response?.status()).toBe(404);
  await expect(userPage.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(userPage.getByRole("link", { name: "Users" })).toHaveCount(0);
});
