// Two-factor authentication through the real pages: turning it on in settings, signing in with a code or a backup
// code, a trusted device, and the confirm-it-is-you prompt that resumes an action on an older session.
import type { BrowserContext, Page } from "@playwright/test";
import { hashPassword } from "../src/server/auth/password-hashing";
import { insertPasswords } from "../src/test/fixtures/sql";
import { totpCode } from "../src/test/totp";
import { createUser, database, type E2EUser, expect, seriousViolations, signInAs, sql, test } from "./support/fixtures";

test.describe.configure({ mode: "serial" });

// Every browser here signs in from 127.0.0.1, whose sign-in window (10 in 5 minutes) other specs share: this spec's
// sign-ins are not left to count against them.
const clearSignInWindow = () => sql("DELETE FROM rate_limits WHERE key LIKE '%/sign-in/email'");
test.beforeAll(clearSignInWindow);
test.afterAll(clearSignInWindow);

const password = "willow-signal-ember-38";

let user: E2EUser;
let key = "";
let backupCodes: string[] = [];

async function signInWithTheForm(page: Page) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function newDevice(context: BrowserContext) {
  await context.clearCookies();
  return context.newPage();
}

test("turn it on in settings: password, QR code and key, first code, backup codes shown once", async ({
  page,
  context,
}) => {
  user = await createUser({ name: "Robin Twofactor" });
  await insertPasswords(database, [{ id: user.id }], await hashPassword(password));
  await signInAs(context, user.id);
  await page.goto("/settings");
  const card = page.getByRole("region", { name: "Two-factor authentication" });
  await card.getByRole("button", { name: "Turn on two-factor authentication…" }).click();
  await card.getByLabel("Your password", { exact: true }).fill(password);
  await card.getByRole("button", { name: "Turn on", exact: true }).click();

  await expect(card.getByRole("img", { name: /QR code/ })).toBeVisible();
  key = (await card.locator("code").textContent()) ?? "";
  expect(key).toMatch(/^[A-Z2-7]{16,}$/);
  await card.getByLabel("Code from your app").fill("000000" === (await totpCode(key)) ? "111111" : "000000");
  await card.getByRole("button", { name: "Turn on", exact: true }).click();
  await expect(card.getByLabel("Code from your app")).toHaveAttribute("aria-invalid", "true");
  // The current step's code: valid for 30 to 60 s more, however slow the page.
  await card.getByLabel("Code from your app").fill(await totpCode(key, 0));
  await card.getByRole("button", { name: "Turn on", exact: true }).click();

  const codes = card.getByRole("list", { name: "Backup codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  backupCodes = await codes.allTextContents();
  await expect(card.getByRole("link", { name: "Download" })).toHaveAttribute("download", "taskforge-backup-codes.txt");
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "docs/screenshots/settings-two-factor-desktop.png", fullPage: true });
  await card.getByRole("button", { name: "I have saved them" }).click();
  await expect(card.getByText("On.")).toBeVisible();
});

test("sign in: the password leads to the code step, and the code to the tasks", async ({ page, context }) => {
  await newDevice(context);
  await signInWithTheForm(page);
  await expect(page).toHaveURL(/\/sign-in\/second-factor/);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  // Nothing of the account is reachable yet.
  expect((await page.request.get("/api/auth/token")).status()).toBe(401);
  expect(await seriousViolations(page)).toEqual([]);
  // The next step's code (the current one may have turned the factor on).
  await page.getByLabel("Code").fill(await totpCode(key, 1));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/tasks$/);
});

test("sign in with a backup code, once", async ({ page, context }) => {
  await newDevice(context);
  await signInWithTheForm(page);
  await page.getByLabel("Code").fill(backupCodes[0] ?? "");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/tasks$/);

  const again = await newDevice(context);
  await signInWithTheForm(again);
  await again.getByLabel("Code").fill(backupCodes[0] ?? "");
  await again.getByRole("button", { name: "Continue" }).click();
  await expect(again.getByLabel("Code")).toHaveAttribute("aria-invalid", "true");
  await expect(again).toHaveURL(/\/sign-in\/second-factor/);
});

test("a trusted device skips the code next time; another device does not", async ({ page, context, browser }) => {
  await newDevice(context);
  await signInWithTheForm(page);
  // A backup code: the app's codes of this minute may all be spent by now.
  await page.getByLabel("Code").fill(backupCodes[2] ?? "");
  await page.getByLabel("Trust this device for 30 days").check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/tasks$/);
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  await signInWithTheForm(page);
  await expect(page).toHaveURL(/\/tasks$/);

  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto("/sign-in");
  await otherPage.getByLabel("Email").fill(user.email);
  await otherPage.getByLabel("Password", { exact: true }).fill(password);
  await otherPage.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(otherPage).toHaveURL(/\/sign-in\/second-factor/);
  await other.close();
});

test("an older session is asked to confirm it is you, then the action resumes", async ({ page, context }) => {
  await newDevice(context);
  await signInAs(context, user.id);
  await sql("UPDATE sessions SET created_at = now() - interval '11 minutes' WHERE user_id = $1", [user.id]);
  await page.goto("/settings");
  const card = page.getByRole("region", { name: "Two-factor authentication" });
  await card.getByRole("button", { name: "New backup codes…" }).click();
  await card.getByLabel("Your password", { exact: true }).fill(password);
  await card.getByRole("button", { name: "Make new backup codes" }).click();

  const prompt = page.getByRole("dialog", { name: "Confirm it is you" });
  await expect(prompt).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await prompt.getByLabel("Password", { exact: true }).fill(password);
  await prompt.getByRole("button", { name: "Continue" }).click();
  // Every code of this 30 s window may be spent by now: a backup code works here too.
  await prompt.getByLabel("Code").fill(backupCodes[1] ?? "");
  await prompt.getByRole("button", { name: "Continue" }).click();
  await expect(prompt).toBeHidden();
  // The action went on by itself: new codes, the old ones dead.
  await expect(card.getByText("New backup codes: the old ones no longer work.")).toBeVisible();
  await expect(card.getByRole("list", { name: "Backup codes" }).getByRole("listitem")).toHaveCount(10);
});

test("an admin resets the second factor of a user who lost it; the password alone then signs them in", async ({
  page,
  context,
}) => {
  await newDevice(context);
  const admin = await createUser({ role: "admin", name: "Morgan Admin" });
  await signInAs(context, admin.id);
  await page.goto(`/admin/users?q=${encodeURIComponent(user.email)}`);
  const row = page.getByRole("list", { name: "Users" }).getByRole("listitem").filter({ hasText: user.email });
  await row.getByRole("button", { name: `Reset two-factor of ${user.name}` }).click();
  await expect(page.getByText(`Two-factor authentication of ${user.name} is off`)).toBeVisible();
  await expect(row.getByRole("button", { name: /Reset two-factor/ })).toHaveCount(0);

  await newDevice(context);
  await signInWithTheForm(page);
  await expect(page).toHaveURL(/\/tasks$/);
});
