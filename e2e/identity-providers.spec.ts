// Sign-in with an identity provider in the browser: the button, the provider's own login page (the test OpenID
// provider started with the server, e2e/support/server.ts), and back to the app signed in; a cancel there lands on
// the sign-in page with the reason; the button is then marked as the way this device signed in last.
import { expect, test } from "./support/fixtures";

test("signs up and in through the provider's login page, and marks it as last used", async ({ page }) => {
  const email = `idp-${Date.now()}@e2e.test`;
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Acme ID" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to the test identity provider" })).toBeVisible();
  await page.getByLabel("Subject", { exact: true }).fill(`e2e-${Date.now()}`);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Name", { exact: true }).fill("Ada Provider");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/tasks$/);
  await expect(page.getByRole("heading", { name: "Your tasks" })).toBeVisible();

  await page.goto("/settings");
  await expect(page.getByText("Acme ID (connected)")).toBeVisible();
  await page.context().clearCookies({ name: /session/ });
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: /Sign in with Acme ID.*last used/ })).toBeVisible();
});

test("a cancel at the provider lands on the sign-in page, saying so", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Acme ID" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(/\/sign-in\?error=access_denied/);
  await expect(page.getByText("The sign-in was cancelled at the provider.")).toBeVisible();
});
