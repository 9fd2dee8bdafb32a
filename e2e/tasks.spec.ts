// Tasks when things go wrong: refused changes roll back and keep what was typed, quick edits in a row, changes
// made elsewhere, a failed "Load more", and where keyboard focus goes as rows open, close and leave.
import type { Page } from "@playwright/test";
import { createTasks, delayCalls, expect, refuseCalls, sql, test } from "./support/fixtures";

const tasksList = (page: Page) => page.getByRole("list", { name: "Tasks" }).getByTestId("task");
/** Longer than a delete's undo window (UNDO_SECONDS), for the row to leave. */
const UNDO_WAIT = 10_000;
/** The page's error notices (Next's route announcer is an alert too, with no text of ours). */
const problems = (page: Page) => page.getByRole("alert").filter({ hasText: /not added|not saved|changed|could not/ });

test("a refused create is undone in the list and what was typed stays in the form", async ({ userPage: page }) => {
  await page.goto("/tasks");
  const form = page.getByRole("form", { name: "New task" });
  const allow = await refuseCalls(page, "task.create");
  await form.getByLabel("Title").fill("Renew the passport");
  await form.getByLabel("Priority").selectOption("high");
  await form.getByRole("button", { name: "Add task" }).click();

  await expect(
    page.getByRole("alert").filter({ hasText: "“Renew the passport” was not added: Server unavailable." }),
  ).toBeVisible();
  await expect(tasksList(page)).toHaveCount(0);
  await expect(form.getByLabel("Title")).toHaveValue("Renew the passport");
  await expect(form.getByLabel("Priority")).toHaveValue("high");
  await expect(form.getByLabel("Title")).toBeFocused();

  await allow();
  await form.getByRole("button", { name: "Add task" }).click();
  await expect(tasksList(page)).toHaveCount(1);
  await expect(tasksList(page).first()).toContainText("high priority");
  await expect(form.getByLabel("Title")).toHaveValue("");
  await expect(form.getByLabel("Title")).toBeFocused();
});

test("fields the server refuses are marked, and focus goes to the first of them", async ({ userPage: page }) => {
  await page.goto("/tasks");
  const form = page.getByRole("form", { name: "New task" });
  await refuseCalls(page, "task.create", {
    status: 400,
    code: "BAD_REQUEST",
    message: JSON.stringify([{ code: "too_big", path: ["dueAt"], message: "Dates end in year 9999" }], null, 2),
    zodError: { formErrors: [], fieldErrors: { dueAt: ["Dates end in year 9999"] } },
  });
  await form.getByLabel("Title").fill("Far ahead");
  await form.getByLabel("Due").fill("2030-05-01");
  await form.getByRole("button", { name: "Add task" }).click();

  const due = form.getByLabel("Due");
  await expect(due).toHaveAttribute("aria-invalid", "true");
  await expect(due).toHaveAccessibleDescription("Dates end in year 9999");
  await expect(due).toBeFocused();
  const alert = page.getByRole("alert").filter({ hasText: "“Far ahead” was not added" });
  await expect(alert).toContainText("Dates end in year 9999");
  await expect(alert).not.toContainText("too_big");
  await expect(form.getByLabel("Title")).toHaveValue("Far ahead");
});

test("a refused update is undone; a refused save keeps the editor open with what was typed", async ({
  userPage: page,
  user,
}) => {
  await createTasks(user.id, ["Water the plants"]);
  await page.goto("/tasks");
  const allow = await refuseCalls(page, "task.update");

  const checkbox = page.getByRole("checkbox", { name: "Water the plants" });
  await checkbox.click();
  await expect(
    page.getByRole("alert").filter({ hasText: "“Water the plants” was not saved: Server unavailable." }),
  ).toBeVisible();
  await expect(checkbox).not.toBeChecked();

  await page.getByRole("button", { name: "Edit “Water the plants”" }).click();
  const editor = page.getByRole("form", { name: "Edit “Water the plants”" });
  await editor.getByLabel("Title").fill("Water the garden");
  await editor.getByLabel("Notes").fill("Twice a week.");
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "was not saved" })).toBeVisible();
  await expect(editor.getByLabel("Title")).toHaveValue("Water the garden");
  await expect(editor.getByLabel("Notes")).toHaveValue("Twice a week.");

  await allow();
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(editor).toHaveCount(0);
  await expect(tasksList(page).first()).toContainText("Water the garden");
  await expect(tasksList(page).first()).toContainText("Twice a week.");
});

test("quick changes to one task in a row are all saved, with no false conflict", async ({ userPage: page, user }) => {
  await createTasks(user.id, ["Book the venue"]);
  await page.goto("/tasks");
  // Each update takes a while to arrive, so the next one is made while the first is still on its way.
  await delayCalls(page, "task.update", 600);
  const checkbox = page.getByRole("checkbox", { name: "Book the venue" });
  const stored = async () =>
    (
      await sql<{ title: string; completed: boolean; version: number }>(
        "SELECT title, completed, version FROM tasks WHERE user_id = $1",
        [user.id],
      )
    )[0];
  await checkbox.click();
  await checkbox.click();
  await expect.poll(stored).toEqual({ title: "Book the venue", completed: false, version: 3 });
  await expect(tasksList(page).first()).not.toHaveAttribute("aria-busy");
  await expect(problems(page)).toHaveCount(0);
  await expect(checkbox).not.toBeChecked();

  await checkbox.click();
  await page.getByRole("button", { name: "Edit “Book the venue”" }).click();
  const editor = page.getByRole("form", { name: "Edit “Book the venue”" });
  await editor.getByLabel("Title").fill("Book the hall");
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(editor).toHaveCount(0);
  await expect(page.getByRole("checkbox", { name: "Book the hall" })).toBeChecked();
  await expect(problems(page)).toHaveCount(0);

  await expect.poll(stored).toEqual({ title: "Book the hall", completed: true, version: 5 });
});

test("a conflict loads the task fresh each time; one deleted meanwhile leaves the list with a message", async ({
  userPage: page,
  user,
  context,
}) => {
  await createTasks(user.id, ["Shared task"]);
  const elsewhere = await context.newPage();
  await page.goto("/tasks");
  await elsewhere.goto("/tasks");
  const mine = page.getByRole("checkbox", { name: "Shared task" });
  const theirs = elsewhere.getByRole("checkbox", { name: "Shared task" });
  const rename = async (title: string) => {
    await page.getByRole("button", { name: "Edit “Shared task”" }).click();
    await page.getByRole("form", { name: "Edit “Shared task”" }).getByLabel("Title").fill(title);
    await page.getByRole("button", { name: "Save" }).click();
  };

  await theirs.click();
  await expect(elsewhere.getByTestId("task-stats")).toContainText("1 done");
  await rename("Mine, first try");
  await expect(page.getByRole("alert").filter({ hasText: "Someone else changed “Shared task”" })).toContainText(
    "(done,",
  );
  await expect(mine).toBeChecked();

  // Changed elsewhere again: the second conflict shows that change, not the copy the first one loaded.
  await theirs.click();
  await expect(elsewhere.getByTestId("task-stats")).toContainText("0 done");
  await rename("Mine, second try");
  await expect(page.getByRole("alert").filter({ hasText: "Someone else changed “Shared task”" })).toContainText(
    "(open,",
  );
  await expect(mine).not.toBeChecked();

  // Changed elsewhere, and deleted by the time its current version is asked for.
  await theirs.click();
  await expect(elsewhere.getByTestId("task-stats")).toContainText("1 done");
  await page.route("**/api/trpc/task.byId?**", async (route) => {
    await sql("DELETE FROM tasks WHERE user_id = $1", [user.id]);
    await route.continue();
  });
  await rename("Mine, third try");
  await expect(page.getByRole("alert").filter({ hasText: "“Shared task” was deleted elsewhere" })).toBeVisible();
  await expect(tasksList(page)).toHaveCount(0);
});

test("a failed “Load more” keeps the list and tells so beside the button", async ({ userPage: page, user }) => {
  await createTasks(
    user.id,
    Array.from({ length: 22 }, (_, i) => `Seeded task ${i + 1}`),
  );
  await page.goto("/tasks");
  await expect(tasksList(page)).toHaveCount(20);
  const allow = await refuseCalls(page, "task.list");
  const loadMore = page.getByRole("button", { name: "Load more" });
  await loadMore.click();
  await expect(page.getByRole("alert").filter({ hasText: "More tasks could not be loaded." })).toBeVisible({
    timeout: 15_000,
  });
  await expect(tasksList(page)).toHaveCount(20);

  await allow();
  await loadMore.click();
  await expect(tasksList(page)).toHaveCount(22);
  await expect(problems(page)).toHaveCount(0);
});

test("focus: into the editor and back, to the first invalid field, and to a neighbour when a row leaves", async ({
  userPage: page,
  user,
}) => {
  await createTasks(user.id, ["Alpha", "Bravo", "Charlie", "Delta"]);
  await page.goto("/tasks");
  // Newest first: Delta, Charlie, Bravo, Alpha.
  await page.getByRole("button", { name: "Edit “Bravo”" }).click();
  const editor = page.getByRole("form", { name: "Edit “Bravo”" });
  await expect(editor.getByLabel("Title")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(editor).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Edit “Bravo”" })).toBeFocused();

  await page.keyboard.press("Enter");
  await editor.getByLabel("Title").fill("");
  await editor.getByLabel("Notes").focus();
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(editor.getByLabel("Title")).toHaveAttribute("aria-invalid", "true");
  await expect(editor.getByLabel("Title")).toBeFocused();
  await editor.getByRole("button", { name: "Cancel" }).click();

  // A deleted row offers Undo in its place, focused; once the window ends the row leaves and focus goes on.
  await page.getByRole("button", { name: "Delete “Bravo”" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "Deleted “Bravo”" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Undo the deletion of “Bravo”" })).toBeFocused();
  await expect(page.getByRole("button", { name: "Undo the deletion of “Bravo”" })).toHaveCount(0, {
    timeout: UNDO_WAIT,
  });
  await expect(page.getByRole("checkbox", { name: "Alpha" })).toBeFocused();

  // Completed while only open tasks are shown: the row leaves, focus goes to the next one's checkbox.
  await page.getByRole("link", { name: "Open", exact: true }).click();
  await expect(page).toHaveURL(/show=open/);
  await page.getByRole("checkbox", { name: "Delta" }).click();
  await expect(page.getByRole("checkbox", { name: "Delta" })).toHaveCount(0);
  await expect(page.getByRole("checkbox", { name: "Charlie" })).toBeFocused();
  await page.keyboard.press("Space");
  await expect(page.getByRole("checkbox", { name: "Alpha" })).toBeFocused();
  await page.keyboard.press("Space");
  await expect(tasksList(page)).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Your tasks" })).toBeFocused();
});

test("a delete can be undone in its window, in place: nothing moves under the pointer", async ({
  userPage: page,
  user,
}) => {
  await createTasks(user.id, ["Alpha", "Bravo", "Charlie"]);
  await page.goto("/tasks");
  const rows = page.getByRole("list", { name: "Tasks" }).getByRole("listitem");
  const charlie = page.getByRole("button", { name: "Delete “Charlie”" });
  const bravoBefore = await rows.nth(1).boundingBox();
  await charlie.click();
  const undo = page.getByRole("button", { name: "Undo the deletion of “Charlie”" });
  await expect(undo).toBeVisible();
  // The row keeps its place and height: the next one has not moved.
  expect(await rows.nth(1).boundingBox()).toEqual(bravoBefore);
  await undo.click();
  await expect(page.getByRole("checkbox", { name: "Charlie" })).toBeVisible();
  await expect(charlie).toBeFocused();
  // Nothing was sent: after the window the task is still there, on a reload too.
  await page.waitForTimeout(UNDO_WAIT);
  await page.reload();
  await expect(tasksList(page)).toHaveCount(3);
  await expect(page.getByRole("checkbox", { name: "Charlie" })).toBeVisible();
});

test("after its undo window a delete is sent and the row leaves; leaving the page sends it at once", async ({
  userPage: page,
  user,
}) => {
  await createTasks(user.id, ["Alpha", "Bravo", "Charlie"]);
  await page.goto("/tasks");
  const sent = page.waitForRequest((request) => request.url().includes("/api/trpc/task.delete"));
  await page.getByRole("button", { name: "Delete “Charlie”" }).click();
  await expect(page.getByRole("button", { name: "Undo the deletion of “Charlie”" })).toHaveCount(0, {
    timeout: UNDO_WAIT,
  });
  await sent;
  await expect(tasksList(page)).toHaveCount(2);
  await expect(page.getByTestId("task-stats")).toContainText("2 open");
  await page.reload();
  await expect(tasksList(page)).toHaveCount(2);

  // Within the window, another page of the app: the delete goes with the tab.
  await page.getByRole("button", { name: "Delete “Bravo”" }).click();
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  await expect.poll(async () => (await sql("SELECT id FROM tasks WHERE user_id = $1", [user.id])).length).toBe(1);
});
