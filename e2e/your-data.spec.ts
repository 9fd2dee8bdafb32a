// "Your data" in settings: download everything as JSON or CSV, and delete the account with the password entered again.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { hashPassword } from "../src/server/auth/password-hashing";
import { insertPasswords } from "../src/test/fixtures/sql";
import { createTasks, database, expect, SESSION_COOKIE_NAME, seriousViolations, sql, test } from "./support/fixtures";

const password = "amber-falcon-harvest-93";
/** Wrong passwords allowed per account in 15 minutes, shared with sign-in (src/server/auth/password-attempts.ts). */
const WRONG_PASSWORD_LIMIT = 10;

/** Fixture users sign in with a session only; deleting an account needs a password too. */
async function givePassword(userId: string): Promise<void> {
  await insertPasswords(database, [{ id: userId }], await hashPassword(password));
}

async function signInWithTheForm(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test("my data as CSV: a table for each part, my tasks in it, a formula kept as text", async ({
  userPage: page,
  user,
}) => {
  await createTasks(user.id, ["Pay the rent", '=HYPERLINK("http://example.com")']);
  await page.goto("/settings");
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download as CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^taskforge-export-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile(await download.path(), "utf8");
  const lines = csv.split("\r\n");
  for (const table of ["Exported", "Profile", "Tasks", "Sessions", "Activity"]) expect(lines).toContain(table);
  expect(csv).toContain(user.email);
  expect(csv).toContain(",Pay the rent,");
  expect(csv).toContain(`,"'=HYPERLINK(""http://example.com"")",`);
  await expect(page.getByText(/Your data is saved as taskforge-export-.*\.csv\./)).toBeVisible();
});

const confirmation = (page: Page) => page.getByRole("form", { name: "Confirm the deletion of your account" });

test("download my data, then delete the account: a wrong password is refused, the right one deletes it", async ({
  userPage: page,
  user,
  context,
  browser,
}) => {
  await givePassword(user.id);
  const title = `Exported task ${randomUUID().slice(0, 8)}`;
  await createTasks(user.id, [title]);

  // The credentials work before the deletion; this other device's session must go with the account.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signInWithTheForm(otherPage, user.email);
  await expect(otherPage).toHaveURL(/\/tasks$/);

  await page.goto("/settings");
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download my data" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^taskforge-export-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(await readFile(await download.path(), "utf8")) as {
    profile: { email: string };
    tasks: { title: string }[];
    sessions: unknown[];
  };
  expect(exported.profile.email).toBe(user.email);
  expect(exported.tasks.map((task) => task.title)).toContain(title);
  expect(exported.sessions.length).toBeGreaterThanOrEqual(2);
  await expect(page.getByRole("status").filter({ hasText: "Your data is saved as taskforge-export-" })).toBeVisible();

  // Escape backs out of the confirmation, and focus returns to the button that opened it.
  const start = page.getByRole("button", { name: "Delete my account…" });
  await start.click();
  await expect(confirmation(page).getByLabel("Your password")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(confirmation(page)).toHaveCount(0);
  await expect(start).toBeFocused();

  await start.click();
  const passwordField = confirmation(page).getByLabel("Your password");
  await confirmation(page).getByRole("button", { name: "Delete my account permanently" }).click();
  await expect(passwordField).toHaveAttribute("aria-invalid", "true");
  await expect(passwordField).toHaveAccessibleDescription(/Enter your password/);

  await passwordField.fill("not-my-password-at-all");
  await confirmation(page).getByRole("button", { name: "Show password" }).click();
  await expect(passwordField).toHaveAttribute("type", "text");
  await confirmation(page).getByRole("button", { name: "Delete my account permanently" }).click();
  await expect(passwordField).toHaveAccessibleDescription(/The password is not right\./);
  await expect(passwordField).toHaveAttribute("aria-invalid", "true");
  expect(await seriousViolations(page)).toEqual([]);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  expect(await sql("SELECT id FROM users WHERE id = $1", [user.id])).toHaveLength(1);

  // The right password, from the keyboard alone.
  await start.click();
  await expect(passwordField).toBeFocused();
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL("/?reason=account-deleted");
  await expect(page.getByRole("status").filter({ hasText: "Your account is deleted" })).toBeVisible();
  expect((await context.cookies()).filter((cookie) => cookie.name === SESSION_COOKIE_NAME)).toEqual([]);
  expect(await sql("SELECT id FROM users WHERE id = $1", [user.id])).toEqual([]);
  expect(await sql("SELECT id FROM tasks WHERE user_id = $1", [user.id])).toEqual([]);

  await otherPage.reload();
  await expect(otherPage).toHaveURL(/\/sign-in\?callbackUrl=%2Ftasks/);
  await other.close();

  await signInWithTheForm(page, user.email);
  await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password" })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("too many wrong passwords: the deletion is throttled, the message tied to the field (dark, 360 px)", async ({
  userPage: page,
  user,
}) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 360, height: 740 });
  await givePassword(user.id);
  await page.goto("/settings");
  await page.getByRole("button", { name: "Delete my account…" }).click();
  const passwordField = confirmation(page).getByLabel("Your password");
  const submit = confirmation(page).getByRole("button", { name: "Delete my account permanently" });

  for (let attempt = 1; attempt <= WRONG_PASSWORD_LIMIT; attempt++) {
    await passwordField.fill(`wrong-guess-number-${attempt}`);
    const answered = page.waitForResponse((response) => response.url().includes("account.delete"));
    await submit.click();
    expect((await answered).status()).toBe(400);
  }
  await passwordField.fill(password);
  await submit.click();
  await expect(passwordField).toHaveAccessibleDescription(/Too many wrong passwords\. Try again in \d+ minutes\./);
  await expect(passwordField).toHaveAttribute("aria-invalid", "true");
  expect(await seriousViolations(page)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await sql("SELECT id FROM users WHERE id = $1", [user.id])).toHaveLength(1);
});
