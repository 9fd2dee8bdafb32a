// The task list surfaces what is due: order, search and the overdue and due-today filters are in the URL, so a
// reload (also after "Load more") shows the same view.
import type { Page } from "@playwright/test";
import { createTasks, expect, seriousViolations, sql, test } from "./support/fixtures";

const rows = (page: Page) => page.getByRole("list", { name: "Tasks" }).getByTestId("task");

/** A task with a due date `hours` from now (negative: past) and a priority, created `age` seconds ago. */
async function createDueTask(userId: string, title: string, hours: number | null, priority: string, age: number) {
  await sql(
    `INSERT INTO tasks (id, title, description, priority, due_at, user_id, created_at, updated_at)
     VALUES (gen_random_uuid(), $1, $2, $3::"Priority", now() + make_interval(hours => $4::int), $5,
             now() - make_interval(secs => $6), now())`,
    [title, title === "Renew the passport" ? "Photos first" : "", priority, hours, userId, age],
  );
}

test.beforeEach(async ({ user }) => {
  await createDueTask(user.id, "Pay the rent", -30, "high", 40);
  await createDueTask(user.id, "Call the plumber", 5, "low", 30);
  await createDueTask(user.id, "Renew the passport", null, "medium", 20);
  await createDueTask(user.id, "Plan the holiday", 200, "high", 10);
});

test("order, search and the due filters are in the URL and survive a reload", async ({ userPage: page }) => {
  await page.goto("/tasks");
  await expect(rows(page).first()).toContainText("Plan the holiday");

  await page.getByLabel("Sort by").selectOption("due");
  await expect(page).toHaveURL(/\/tasks\?sort=due$/);
  const byDue = ["Pay the rent", "Call the plumber", "Plan the holiday", "Renew the passport"];
  for (const [index, title] of byDue.entries()) await expect(rows(page).nth(index)).toContainText(title);
  await page.reload();
  await expect(page.getByLabel("Sort by")).toHaveValue("due");
  for (const [index, title] of byDue.entries()) await expect(rows(page).nth(index)).toContainText(title);

  await page.getByLabel("Sort by").selectOption("priority");
  await expect(page).toHaveURL(/sort=priority/);
  await expect(rows(page).nth(0)).toContainText("Plan the holiday");
  await expect(rows(page).nth(1)).toContainText("Pay the rent");
  await expect(rows(page).nth(3)).toContainText("Call the plumber");

  // Notes are searched too, in any case.
  await page.getByLabel("Search tasks").fill("PHOTOS");
  await page.getByLabel("Search tasks").press("Enter");
  await expect(page).toHaveURL(/sort=priority&q=PHOTOS/);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("Renew the passport");
  await page.reload();
  await expect(page.getByLabel("Search tasks")).toHaveValue("PHOTOS");
  await expect(rows(page)).toHaveCount(1);
  await page.getByLabel("Search tasks").fill("nothing like it");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("No task matches “nothing like it”.")).toBeVisible();
  await page.getByLabel("Search tasks").fill("");
  await page.getByLabel("Search tasks").press("Enter");
  await expect(rows(page)).toHaveCount(4);

  // The counters are filters.
  const stats = page.getByTestId("task-stats");
  await stats.getByRole("link", { name: "1 overdue" }).click();
  await expect(page).toHaveURL(/show=overdue/);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("Pay the rent");
  await expect(
    page.getByRole("navigation", { name: "Filter tasks" }).getByRole("link", { name: "Overdue" }),
  ).toHaveAttribute("aria-current", "page");
  await expect(page.getByLabel("Sort by")).toBeDisabled();
  await page.reload();
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("Pay the rent");

  await stats.getByRole("link", { name: "1 due today" }).click();
  await expect(page).toHaveURL(/show=today/);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("Call the plumber");
  await page.reload();
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("Call the plumber");
});

test("after “Load more”, a reload shows the same tasks", async ({ userPage: page, user }) => {
  await createTasks(
    user.id,
    Array.from({ length: 24 }, (_, index) => `Errand ${index + 1}`),
  );
  await page.goto("/tasks?sort=due");
  await expect(rows(page)).toHaveCount(20);
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(rows(page)).toHaveCount(28);
  await expect(page).toHaveURL(/\/tasks\?sort=due&pages=2$/);
  await page.reload();
  await expect(rows(page)).toHaveCount(28);
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);
  // A new view starts at its first page.
  await page.getByRole("navigation", { name: "Filter tasks" }).getByRole("link", { name: "Open" }).click();
  await expect(page).toHaveURL(/\/tasks\?show=open&sort=due$/);
  await expect(rows(page)).toHaveCount(20);
});

for (const scheme of ["light", "dark"] as const) {
  test(`a filtered, searched view passes axe in ${scheme} mode`, async ({ userPage: page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto("/tasks?show=overdue&q=rent");
    await expect(rows(page)).toHaveCount(1);
    expect(await seriousViolations(page)).toEqual([]);
  });
}
