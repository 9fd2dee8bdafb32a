// The life of an account, through the real forms: sign-up, confirmation mail, sign-in, tasks, settings, sign-out.
import { waitForLink } from "./support/mail";
import { expect, openOtherDevice, SESSION_COOKIE_NAME, signInAs, sql, test } from "./support/fixtures";

test.describe.configure({ mode: "serial" });

const email = `ada-${Date.now()}@e2e.test`;
const password = "copper-lantern-orbit-47";
const newPassword = "velvet-harbor-quartz-82";

test("sign up with a live strength meter, confirm the email from the mail, sign in", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Ada Lovelace");
  await page.getByLabel("Email").fill(email);
  const passwordField = page.getByLabel("Password", { exact: true });
  await passwordField.fill("password1");
  await expect(page.getByText(/Strength: Very weak|Strength: Weak/)).toBeVisible();
  await page.getByRole("button", { name: "Show password" }).click();
  await expect(passwordField).toHaveAttribute("type", "text");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(passwordField).toHaveAttribute("aria-invalid", "true");
  await expect(passwordField).toBeFocused();

  await passwordField.fill(password);
  await expect(page.getByText("Strength: Strong").or(page.getByText("Strength: Very strong"))).toBeVisible();
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("status").filter({ hasText: "we sent a confirmation link" })).toBeVisible();
  const confirmation = await waitForLink(email, "confirm your email address");

  // Signing in before confirming is refused, with a new link sent.
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText("Confirm your email address first")).toBeVisible();

  // The link asks for the password chosen at sign-up: a click alone proves the mailbox, not who chose it.
  await page.goto(confirmation);
  const confirm = page.getByRole("form", { name: "Confirm your email" });
  await confirm.getByLabel("The password you chose").fill("not-the-password-123");
  await confirm.getByRole("button", { name: "Confirm my email" }).click();
  await expect(confirm.getByLabel("The password you chose")).toHaveAttribute("aria-invalid", "true");
  await confirm.getByLabel("The password you chose").fill(password);
  await confirm.getByRole("button", { name: "Confirm my email" }).click();
  await expect(page.getByRole("heading", { name: "Email confirmed" })).toBeVisible();
  await expect(page.getByText("you are signed in")).toBeVisible();
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Remember me").check();
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/tasks$/);
  await expect(page.getByTestId("signed-in-as")).toContainText("Ada Lovelace");
});

test("create, edit, complete and delete tasks; a reload keeps them", async ({ page, context }) => {
  const [user] = await sql<{ id: string }>("SELECT id FROM users WHERE email = $1", [email]);
  await signInAs(context, user!.id);
  await page.goto("/tasks");

  const title = page.getByLabel("Title");
  await page.getByRole("button", { name: "Add task" }).click();
  await expect(page.getByText("Title is required")).toBeVisible();
  await title.fill("Write the report");
  await page.getByLabel("Priority").selectOption("high");
  await page.getByRole("button", { name: "Add task" }).click();
  await title.fill("Buy milk");
  await page.getByRole("button", { name: "Add task" }).click();
  const tasks = page.getByRole("list", { name: "Tasks" }).getByTestId("task");
  await expect(tasks).toHaveCount(2);
  await expect(tasks.first()).toContainText("Buy milk");

  await page.getByRole("button", { name: "Edit “Write the report”" }).click();
  const editor = page.getByRole("form", { name: "Edit “Write the report”" });
  await editor.getByLabel("Title").fill("Write the final report");
  await editor.getByLabel("Notes").fill("Two pages, with figures.");
  await editor.getByLabel("Due").fill("2020-01-15");
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Two pages, with figures.")).toBeVisible();
  await expect(page.getByText(/Overdue · due/)).toBeVisible();

  await page.getByRole("checkbox", { name: "Buy milk" }).click();
  await expect(page.getByTestId("task-stats")).toContainText("1 open · 1 done");

  await page.reload();
  await expect(page.getByRole("checkbox", { name: "Buy milk" })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Write the final report" })).not.toBeChecked();
  await expect(page.getByTestId("task-stats")).toContainText("1 overdue");

  await page.getByRole("link", { name: "Done", exact: true }).click();
  await expect(tasks).toHaveCount(1);
  await page.getByRole("link", { name: "All", exact: true }).click();

  await page.getByRole("button", { name: "Delete “Buy milk”" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Deleted “Buy milk”" })).toBeVisible();
  // Sent once the undo window has ended.
  await expect(page.getByRole("button", { name: "Undo the deletion of “Buy milk”" })).toHaveCount(0, {
    timeout: 10_000,
  });
  await page.reload();
  await expect(tasks).toHaveCount(1);
});

test("settings: revoke another session, change the password, sign out", async ({ page, context, browser }) => {
  const [user] = await sql<{ id: string }>("SELECT id FROM users WHERE email = $1", [email]);
  await signInAs(context, user!.id);
  const { context: other, page: otherPage } = await openOtherDevice(browser, user!.id);

  await page.goto("/settings");
  const sessions = page.getByTestId("session");
  const countBefore = await sessions.count();
  expect(countBefore).toBeGreaterThanOrEqual(2);
  await sessions
    .filter({ hasNotText: "This device" })
    .first()
    .getByRole("button", { name: /Sign out/ })
    .click();
  await expect(page.getByText("That device is signed out.")).toBeVisible();
  await expect(sessions).toHaveCount(countBefore - 1);

  // One of the remaining ones may be the other context's; revoke all others to be sure, then it is signed out.
  await page.getByRole("button", { name: "Sign out all other devices" }).click();
  await expect(sessions).toHaveCount(1);
  await otherPage.reload();
  await expect(otherPage).toHaveURL(/\/sign-in\?callbackUrl=%2Ftasks/);
  await other.close();

  await page.getByLabel("Current password").fill("not-my-password-at-all");
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Repeat the new password").fill(newPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("This is not your current password.")).toBeVisible();
  await page.getByLabel("Current password").fill(password);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed.")).toBeVisible();
  // The form is empty again, the strength meter too.
  await expect(page.getByLabel("New password", { exact: true })).toHaveValue("");
  await expect(page.getByLabel("Repeat the new password")).toHaveValue("");
  await expect(page.getByLabel("Current password")).toHaveValue("");
  await expect(page.getByText(/^Strength: /)).toHaveCount(0);

  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/sign-in?callbackUrl=%2Fsettings");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(newPassword);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/settings$/);
});

test("forgot password: the mailed link sets a new password", async ({ page }) => {
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send the reset link" }).click();
  await expect(page.getByText("a reset link is on its way")).toBeVisible();
  await page.goto(await waitForLink(email, "reset your password"));
  await expect(page).toHaveURL(/\/reset-password\?token=/);
  await page.getByLabel("New password", { exact: true }).fill(password);
  await page.getByLabel("Repeat the new password").fill(password);
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByText("Your password is changed")).toBeVisible();
});

test("sign-in without “Remember me” gives a cookie that ends with the browser session", async ({ page, context }) => {
  const sessionCookie = async () => (await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE_NAME);
  for (const remember of [false, true]) {
    await context.clearCookies();
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByLabel("Remember me").setChecked(remember);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/tasks$/);
    const cookie = await sessionCookie();
    expect(cookie, `remember me: ${remember}`).toBeDefined();
    if (remember) expect(cookie?.expires).toBeGreaterThan(Date.now() / 1000 + 86_400);
    else expect(cookie?.expires).toBe(-1);
  }
});
