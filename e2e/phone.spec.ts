// The tasks flow on a 360 px wide phone: add, complete, filter, load more, edit, and the undo of a failed change.
import { createTasks, createUser, expect, refuseCalls, seriousViolations, signInAs, test } from "./support/fixtures";

test("tasks on a phone, including load more and a rolled-back delete", async ({ userPage: page, user }) => {
  await createTasks(
    user.id,
    Array.from({ length: 22 }, (_, i) => `Seeded task ${i + 1}`),
  );
  await page.goto("/tasks");
  const tasks = page.getByRole("list", { name: "Tasks" }).getByTestId("task");
  await expect(tasks).toHaveCount(20);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  await page.getByRole("button", { name: "Load more" }).click();
  await expect(tasks).toHaveCount(22);
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);

  await page.getByLabel("Title").fill("Call the plumber");
  await page.getByRole("button", { name: "Add task" }).click();
  await expect(tasks.first()).toContainText("Call the plumber");
  await page.getByRole("checkbox", { name: "Call the plumber" }).click();
  await page.getByRole("link", { name: "Done", exact: true }).click();
  await expect(page).toHaveURL(/show=done/);
  await expect(tasks).toHaveCount(1);
  await page.getByRole("link", { name: "Open", exact: true }).click();
  await expect(tasks).toHaveCount(20);

  // The server refuses the delete: the task comes back and the reason is shown.
  const allow = await refuseCalls(page, "task.delete");
  // On a phone a row's Edit and Delete are behind its Actions button.
  await expect(page.getByRole("button", { name: "Delete “Seeded task 22”" })).toBeHidden();
  await page.getByRole("button", { name: "Actions for “Seeded task 22”" }).click();
  await page.getByRole("button", { name: "Delete “Seeded task 22”" }).click();
  // Sent when its undo window ends.
  await expect(page.getByRole("alert").filter({ hasText: "“Seeded task 22” was not deleted" })).toBeVisible({
    timeout: 15_000,
  });
  await expect(page.getByText("Seeded task 22", { exact: true })).toBeVisible();
  await allow();
});

test("a task changed elsewhere: the save is refused and the current version shown", async ({
  userPage: page,
  user,
  context,
}) => {
  await createTasks(user.id, ["Shared task"]);
  const elsewhere = await context.newPage();
  await page.goto("/tasks");
  await elsewhere.goto("/tasks");

  await elsewhere.getByRole("checkbox", { name: "Shared task" }).click();
  await expect(elsewhere.getByTestId("task-stats")).toContainText("1 done");

  await page.getByRole("button", { name: "Actions for “Shared task”" }).click();
  await page.getByRole("button", { name: "Edit “Shared task”" }).click();
  await page.getByRole("form", { name: "Edit “Shared task”" }).getByLabel("Title").fill("My version");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Someone else changed “Shared task”" })).toBeVisible();
  await expect(page.getByRole("checkbox", { name: "Shared task" })).toBeChecked();
});

test("the account, settings and admin pages fit a 360 px screen without scrolling sideways", async ({
  page,
  context,
}) => {
  const overflow = () =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.goto("/sign-up");
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  expect(await overflow(), "/sign-up").toBeLessThanOrEqual(0);

  const admin = await createUser({ role: "admin", name: "Alexandria Wolfeschlegelsteinhausen" });
  await createUser({ name: "Bartholomew Featherstonehaugh-Montgomery" });
  await signInAs(context, admin.id);
  for (const path of ["/settings", "/admin/users"]) {
    await page.goto(path);
    await expect(page.locator("main h1")).toBeVisible();
    if (path === "/admin/users") await page.getByRole("button", { name: /^Ban / }).first().click();
    await page.screenshot({ path: `/tmp/taskforge-phone${path.replace(/\//g, "-")}.png`, fullPage: true });
    expect(await overflow(), path).toBeLessThanOrEqual(0);
  }
});

test("on a phone the header is one row with a menu, and 20 tasks are compact rows", async ({
  userPage: page,
  user,
}) => {
  await createTasks(
    user.id,
    Array.from({ length: 20 }, (_, i) => `Phone task ${i + 1}`),
  );
  await page.goto("/tasks");
  const header = page.getByRole("banner");
  const box = await header.boundingBox();
  expect(box?.height).toBeLessThanOrEqual(72);
  await expect(header.getByRole("navigation", { name: "Main" })).toBeHidden();

  const menu = header.getByRole("button", { name: "Menu" });
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(header.getByRole("link", { name: "Settings" })).toBeVisible();
  await expect(header.getByRole("button", { name: "Sign out" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press("Escape");
  await expect(header.getByRole("link", { name: "Settings" })).toBeHidden();
  await expect(menu).toBeFocused();
  await menu.click();
  await header.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  await expect(header.getByRole("link", { name: "Tasks" })).toBeHidden();
  await page.goto("/tasks");

  const rows = page.getByRole("list", { name: "Tasks" }).getByTestId("task");
  await expect(rows).toHaveCount(20);
  for (const row of await rows.all()) expect((await row.boundingBox())?.height).toBeLessThanOrEqual(72);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // The actions menu: Edit opens the editor; Cancel brings focus back to the row's Actions button.
  await page.getByRole("button", { name: "Actions for “Phone task 20”" }).click();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Edit “Phone task 20”" }).click();
  await page.getByRole("form", { name: "Edit “Phone task 20”" }).getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("button", { name: "Actions for “Phone task 20”" })).toBeFocused();
  await page.screenshot({ path: "/tmp/taskforge-phone-tasks.png", fullPage: false });
});
