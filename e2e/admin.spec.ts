// Administration: promote, ban (the banned user's open tab is signed out at its next action), unban, activity.
import {
  createGivenUpMail,
  createUser,
  delayCalls,
  expect,
  openOtherDevice,
  refuseCalls,
  signInAs,
  sql,
  test,
} from "./support/fixtures";
import { waitForLink } from "./support/mail";

test("an admin promotes and bans a user, whose open tab is signed out on its next action", async ({
  page,
  context,
  browser,
}) => {
  const admin = await createUser({ role: "admin", name: "Grace Admin" });
  const target = await createUser({ name: `Target ${Date.now()}` });
  await signInAs(context, admin.id);

  const { context: targetContext, page: targetPage } = await openOtherDevice(browser, target.id);

  await page.goto("/admin/users");
  await page.getByRole("searchbox", { name: "Search users by name or email" }).fill(target.name);
  await page.getByRole("button", { name: "Search" }).click();
  const row = page.getByTestId("admin-user").filter({ hasText: target.email });
  await expect(row).toHaveCount(1);

  // A role picked in the list waits for its confirmation; Cancel leaves it as it was.
  await row.getByLabel(`Role of ${target.name}`).selectOption("admin");
  const confirmRole = row.getByRole("group", { name: `Confirm the new role for ${target.name}` });
  await expect(confirmRole).toContainText(`Make ${target.name} an administrator?`);
  await confirmRole.getByRole("button", { name: "Cancel" }).click();
  await expect(confirmRole).toHaveCount(0);
  await expect(row.getByLabel(`Role of ${target.name}`)).toHaveValue("user");
  await expect(row.getByLabel(`Role of ${target.name}`)).toBeFocused();
  const [stored] = await sql<{ role: string }>("SELECT role FROM users WHERE id = $1", [target.id]);
  expect(stored?.role).toBe("user");

  await row.getByLabel(`Role of ${target.name}`).selectOption("admin");
  await confirmRole.getByRole("button", { name: "Change the role" }).click();
  await expect(page.getByText(`${target.name} is now an administrator.`)).toBeVisible();
  await row.getByLabel(`Role of ${target.name}`).selectOption("user");
  await confirmRole.getByRole("button", { name: "Change the role" }).click();
  await expect(page.getByText(`${target.name} is now a user.`)).toBeVisible();

  // The admin's own role cannot be changed from here.
  await page.getByRole("searchbox", { name: "Search users by name or email" }).fill(admin.email);
  await page.getByRole("button", { name: "Search" }).click();
  const own = page.getByTestId("admin-user").filter({ hasText: admin.email });
  await expect(own.getByLabel(`Role of ${admin.name}`)).toBeDisabled();
  await expect(own.getByLabel(`Role of ${admin.name}`)).toHaveAccessibleDescription(
    "Your own role is changed by another administrator.",
  );
  await page.getByRole("searchbox", { name: "Search users by name or email" }).fill(target.name);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(row).toHaveCount(1);

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
  const activity = row.getByRole("list", { name: "Account activity" });
  await expect(activity).toContainText("Banned by you · “Spam”");
  await expect(activity).toContainText("Made an administrator by you");
  await expect(activity).not.toContainText(/by: |null/);
  await row.getByRole("button", { name: `Unban ${target.name}` }).click();
  await expect(page.getByText(`${target.name} is no longer banned.`)).toBeVisible();
});

test("the admin pages do not exist for other users", async ({ userPage }) => {
  for (const path of ["/admin/users", "/admin/mail"]) {
    const response = await userPage.goto(path);
    expect(response?.status()).toBe(404);
    await expect(userPage.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(userPage).toHaveTitle(/^Page not found/);
  }
  await expect(userPage.getByRole("link", { name: "Users" })).toHaveCount(0);
  await expect(userPage.getByRole("link", { name: "Mail" })).toHaveCount(0);
});

test("an admin sends a given-up mail again from the Mail page, and it arrives", async ({ page, context }) => {
  const admin = await createUser({ role: "admin", name: "Mail Admin" });
  const to = `given-up-${Date.now()}@e2e.test`;
  await createGivenUpMail(to);
  await signInAs(context, admin.id);
  await page.goto("/tasks");
  await page.getByRole("link", { name: "Mail" }).click();
  await expect(page.getByRole("heading", { name: "Mail" })).toBeVisible();
  const row = page.getByRole("listitem").filter({ hasText: to });
  await expect(row).toContainText("reset-password · 8 attempts");
  await expect(row).toContainText("Last error: connect ECONNREFUSED");
  await row.getByRole("button", { name: `Send the reset-password mail to ${to} again` }).click();
  await expect(page.getByText("The mail is queued again.")).toBeVisible();
  expect(await waitForLink(to, "reset your password")).toContain("token=e2e");
  await expect(page.getByRole("listitem").filter({ hasText: to })).toHaveCount(0);
});

/** The admin's page showing only `target`'s row. */
async function openRow(page: import("@playwright/test").Page, target: { name: string; email: string }) {
  await page.goto(`/admin/users?q=${encodeURIComponent(target.email)}`);
  const row = page.getByTestId("admin-user").filter({ hasText: target.email });
  await expect(row).toHaveCount(1);
  return row;
}

test("a change runs once at a time: the row's controls wait for the answer", async ({ page, context }) => {
  const admin = await createUser({ role: "admin", name: "Grace Admin" });
  const target = await createUser({ name: `Target ${Date.now()}` });
  await signInAs(context, admin.id);
  const row = await openRow(page, target);
  const calls: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/api/trpc/user.setRole")) calls.push(request.url());
  });
  await delayCalls(page, "user.setRole", 800);

  const role = row.getByLabel(`Role of ${target.name}`);
  // selectOption does not focus the select; a keyboard user's focus is on it.
  await role.focus();
  await role.selectOption("admin");
  await row.getByRole("button", { name: "Change the role" }).click();
  await expect(role).toBeDisabled();
  await expect(row.getByRole("button", { name: `Ban ${target.name}` })).toBeDisabled();
  await expect(page.getByText(`${target.name} is now an administrator.`)).toBeVisible();
  await expect(role).toBeEnabled();
  await expect(role).toBeFocused();
  expect(calls).toHaveLength(1);
});

test("a refused ban keeps the form and its reason, with the error in the row", async ({ page, context }) => {
  const admin = await createUser({ role: "admin", name: "Grace Admin" });
  const target = await createUser({ name: `Target ${Date.now()}` });
  await signInAs(context, admin.id);
  const row = await openRow(page, target);

  await row.getByRole("button", { name: `Ban ${target.name}` }).click();
  const form = row.getByRole("form", { name: "Ban this user" });
  // An end in the past is refused before anything is sent, and focus goes to it.
  await form.getByLabel("Banned until (optional)").fill("2020-01-01");
  await form.getByLabel("Reason").fill("Spam");
  await form.getByRole("button", { name: "Ban", exact: true }).click();
  await expect(form.getByLabel("Banned until (optional)")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Banned until (optional)")).toBeFocused();
  await form.getByLabel("Banned until (optional)").fill("");

  const allow = await refuseCalls(page, "user.ban");
  await form.getByRole("button", { name: "Ban", exact: true }).click();
  await expect(row.getByRole("alert")).toContainText(`The change to ${target.name} was not made: Server unavailable.`);
  await expect(form).toBeVisible();
  await expect(form.getByLabel("Reason")).toHaveValue("Spam");
  await expect(form.getByLabel("Reason")).toBeFocused();

  await allow();
  await form.getByRole("button", { name: "Ban", exact: true }).click();
  await expect(form).toHaveCount(0);
  await expect(row).toContainText("banned: Spam");
  await expect(row.getByRole("alert")).toHaveCount(0);
  await expect(row.getByRole("button", { name: `Unban ${target.name}` })).toBeFocused();
});

test("a ban with an end date shows when it ends", async ({ page, context }) => {
  const admin = await createUser({ role: "admin", name: "Grace Admin" });
  const target = await createUser({ name: `Target ${Date.now()}` });
  await signInAs(context, admin.id);
  const row = await openRow(page, target);

  const end = new Date(Date.now() + 15 * 86_400_000);
  const day = `${end.getFullYear()}-${String(end.getMonth() + 1).padStart(2, "0")}-${String(end.getDate()).padStart(2, "0")}`;
  await row.getByRole("button", { name: `Ban ${target.name}` }).click();
  await row.getByLabel("Reason").fill("Cooling off");
  await row.getByLabel("Banned until (optional)").fill(day);
  await row.getByRole("button", { name: "Ban", exact: true }).click();
  await expect(row).toContainText("banned: Cooling off (ends in 2 weeks)");
  const expected = await page.evaluate((value) => new Date(`${value}T23:59:59`).toISOString(), day);
  await expect(row.locator("time").last()).toHaveAttribute("datetime", expected);
  const [stored] = await sql<{ ban_expires: Date }>("SELECT ban_expires FROM users WHERE id = $1", [target.id]);
  expect(stored?.ban_expires.toISOString()).toBe(expected);
});

test.describe("in another time zone and language than the server's", () => {
  test.use({ locale: "de-DE", timezoneId: "Pacific/Kiritimati" });

  test("a ban's end renders the same on the server and in the browser (no hydration error)", async ({
    page,
    context,
  }) => {
    const admin = await createUser({ role: "admin", name: "Grace Admin" });
    const target = await createUser({ name: `Target ${Date.now()}` });
    await sql(
      "UPDATE users SET banned = true, ban_reason = 'Spam', ban_expires = now() + interval '3 days' WHERE id = $1",
      [target.id],
    );
    await signInAs(context, admin.id);
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    const row = await openRow(page, target);
    await expect(row).toContainText("banned: Spam (ends in 3 days)");
    await page.waitForLoadState("networkidle");
    expect(errors.filter((text) => /hydrat|#418|#425/i.test(text))).toEqual([]);
  });
});
