// Around the account forms: where a signed-in visitor lands, signing out (also when it fails, everywhere, and from
// another device, which the signed-out device is told),
// the password visibility toggle, and a reset link that is not valid.
import { expect, openOtherDevice, signInAs, sql, test } from "./support/fixtures";

test("the landing page sends a signed-in visitor to their tasks", async ({ userPage: page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/tasks$/);
  await expect(page.getByRole("heading", { name: "Your tasks" })).toBeVisible();
});

test("a sign-out the server refuses says so, stays on the page and can be tried again", async ({ userPage: page }) => {
  await page.goto("/settings");
  const signOut = page.getByRole("banner").getByRole("button", { name: "Sign out" });
  await page.route("**/api/auth/sign-out", (route) =>
    route.fulfill({
      status: 500,
      contentType: "application/json",
      body: JSON.stringify({ message: "Server unavailable." }),
    }),
  );
  await signOut.click();
  await expect(page.getByRole("banner").getByRole("alert")).toHaveText("Not signed out. Try again.");
  await expect(signOut).toBeEnabled();
  await expect(page).toHaveURL(/\/settings$/);

  await page.unroute("**/api/auth/sign-out");
  await signOut.click();
  await expect(page).toHaveURL(/\/sign-in\?reason=signed-out/);
});

test("“Sign out everywhere” ends this session and every other one", async ({ page, context, browser, user }) => {
  await signInAs(context, user.id);
  const { context: other, page: otherPage } = await openOtherDevice(browser, user.id);

  await page.goto("/settings");
  await expect(page.getByTestId("session")).toHaveCount(2);
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/sign-in\?reason=signed-out/);
  expect(await sql("SELECT id FROM sessions WHERE user_id = $1", [user.id])).toEqual([]);

  await otherPage.reload();
  await expect(otherPage).toHaveURL(/\/sign-in\?callbackUrl=%2Ftasks/);
  await expect(otherPage.getByText("You were signed out on all your devices.")).toBeVisible();
  await other.close();
});

test("a device signed out from another one is told why on the sign-in page", async ({
  page,
  context,
  browser,
  user,
}) => {
  await signInAs(context, user.id);
  const { context: other, page: otherPage } = await openOtherDevice(browser, user.id);

  await page.goto("/settings");
  await page
    .getByTestId("session")
    .filter({ hasNotText: "This device" })
    .getByRole("button", { name: /Sign out/ })
    .click();
  await expect(page.getByTestId("session")).toHaveCount(1);

  await otherPage.reload();
  await expect(otherPage).toHaveURL(/\/sign-in\?callbackUrl=%2Ftasks/);
  await expect(otherPage.getByText("This device was signed out from another of your devices.")).toBeVisible();
  await other.close();
});

test("the password toggle keeps its name and tells its state with aria-pressed", async ({ page }) => {
  await page.goto("/sign-in");
  const password = page.getByLabel("Password", { exact: true });
  const toggle = page.getByRole("button", { name: "Show password", exact: true });
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await toggle.click();
  await expect(password).toHaveAttribute("type", "text");
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expect(toggle).toHaveAccessibleName("Show password");
  await toggle.click();
  await expect(password).toHaveAttribute("type", "password");
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
});

test("a reset link that is not valid says so and offers a new one", async ({ page }) => {
  await page.goto("/reset-password?token=not-a-real-token");
  await page.getByLabel("New password", { exact: true }).fill("velvet-harbor-quartz-82");
  await page.getByLabel("Repeat the new password").fill("velvet-harbor-quartz-82");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "This reset link is invalid or was already used. Ask for a new one." }),
  ).toBeVisible();

  await page.goto("/reset-password?error=INVALID_TOKEN");
  await expect(
    page.getByRole("alert").filter({ hasText: "This reset link is invalid, expired or already used." }),
  ).toBeVisible();
  await page.getByRole("link", { name: "Ask for a new link" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
});
