// The tasks flow on a 360 px wide phone: add, complete, filter, load more, edit, and the undo of a failed change.
import { createTasks, expect, test } from "./support/fixtures";

test("tasks on a phone, including load more and a rolled-back delete", async ({ userPage: page, user }) => {
  await createTasks(user.id, Array.from({ length: 22 }, (_, i) => `Seeded task ${i + 1}`));
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
  await page.route("**/api/trpc/task.delete**", (route) =>
    route.fulfill({
      status: 500,
      contentType: "application/json",
      body: JSON.stringify([{ error: { json: { message: "Server unavailable.", code: -32603, data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 500 } } } }]),
    }),
  );
  await page.getByRole("button", { name: "Delete “Seeded task 22”" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "“Seeded task 22” was not deleted" })).toBeVisible();
  await expect(page.getByText("Seeded task 22", { exact: true })).toBeVisible();
  await page.unroute("**/api/trpc/task.delete**");
});

test("a task changed elsewhere: the save is refused and the current version shown", async ({ userPage: page, user, context }) => {
  await createTasks(user.id, ["Shared task"]);
  const elsewhere = await context.newPage();
  await page.goto("/tasks");
  await elsewhere.goto("/tasks");

  await elsewhere.getByRole("checkbox", { name: "Shared task" }).click();
  await expect(elsewhere.getByTestId("task-stats")).toContainText("1 done");

  await page.getByRole("button", { name: "Edit “Shared task”" }).click();
  await page.getByRole("form", { name: "Edit “Shared task”" }).getByLabel("Title").fill("My version");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Someone else changed “Shared task”" })).toBeVisible();
  await expect(page.getByRole("checkbox", { name: "Shared task" })).toBeChecked();
});
