// Forms correct as the user types after their first error: what is fixed is cleared at once, what is still wrong
// says why, and a success never stands beside an error. Axe-clean with errors showing, in light and dark.
import { hashPassword } from "../src/server/auth/password-hashing";
import { insertPasswords } from "../src/test/fixtures/sql";
import { database, expect, seriousViolations, test } from "./support/fixtures";

const STRONG = "velvet-Lantern-orbit-204";

for (const scheme of ["light", "dark"] as const) {
  test(`sign-up: errors clear field by field as they are fixed (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto("/sign-up");
    const name = page.getByLabel("Name");
    const email = page.getByLabel("Email");
    const password = page.getByLabel("Password", { exact: true });
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(name).toHaveAccessibleDescription("Name is required");
    await expect(email).toHaveAttribute("aria-invalid", "true");
    await expect(password).toHaveAttribute("aria-invalid", "true");
    await expect(name).toBeFocused();
    expect(await seriousViolations(page)).toEqual([]);

    await name.fill("Ada Lovelace");
    await expect(name).not.toHaveAttribute("aria-invalid");
    await expect(page.getByText("Name is required")).toHaveCount(0);
    await expect(page.getByText("Email is required")).toBeVisible();

    await email.fill("ada@");
    await expect(page.getByText("Enter a valid email address")).toBeVisible();
    await email.fill("ada@example.com");
    await expect(email).not.toHaveAttribute("aria-invalid");

    await password.fill("short");
    await expect(page.getByText("Use at least 8 characters", { exact: true })).toBeVisible();
    await password.fill("password123");
    await expect(page.getByText("Use at least 8 characters", { exact: true })).toHaveCount(0);
    await expect(password).toHaveAttribute("aria-invalid", "true");
    await password.fill(STRONG);
    await expect(password).not.toHaveAttribute("aria-invalid");
    await expect(page.getByText("Strength: Very strong")).toBeVisible();
    await expect(page.locator("[aria-invalid='true']")).toHaveCount(0);
  });
}

test("settings: a saved name and an empty one are never told together", async ({ userPage: page, user }) => {
  await page.goto("/settings");
  const profile = page.locator("form").filter({ has: page.getByRole("button", { name: "Save" }) });
  const name = profile.getByLabel("Name");
  await name.fill(`${user.name} Jr`);
  await profile.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Your name is saved.")).toBeVisible();

  await name.fill("");
  await profile.getByRole("button", { name: "Save" }).click();
  await expect(name).toHaveAccessibleDescription("Name is required");
  await expect(page.getByText("Your name is saved.")).toHaveCount(0);
  await name.fill("Casey");
  await expect(name).not.toHaveAttribute("aria-invalid");
});

test("change password: the current password is refused as the new one, on the new password's field", async ({
  user,
  userPage: page,
}) => {
  // Fixture users sign in with a session and have no password: this one gets the one it types.
  await insertPasswords(database, [user], await hashPassword(STRONG));
  await page.goto("/settings");
  await page.getByLabel("Current password").fill(STRONG);
  await page.getByLabel("New password", { exact: true }).fill(STRONG);
  await page.getByLabel("Repeat the new password").fill(STRONG);
  await page.getByRole("button", { name: "Change password" }).click();
  const newPassword = page.getByLabel("New password", { exact: true });
  await expect(newPassword).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("The new password must differ from your current one")).toBeVisible();
  await expect(newPassword).toBeFocused();
  // Changing the new password clears it, and the repeat that no longer matches says so.
  await newPassword.fill(`${STRONG}-new`);
  await expect(page.getByText("The new password must differ from your current one")).toHaveCount(0);
  await expect(page.getByLabel("Repeat the new password")).not.toHaveAttribute("aria-invalid");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("The passwords do not match")).toBeVisible();
  await page.getByLabel("Repeat the new password").fill(`${STRONG}-new`);
  await expect(page.getByText("The passwords do not match")).toHaveCount(0);
});
