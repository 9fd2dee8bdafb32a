// Sign-in by a link from the mail, through the real pages and the captured mail: the link opens our page, which
// signs in only when asked; a used link says so and offers a new one.
import { waitForLink } from "./support/mail";
import { createUser, expect, test } from "./support/fixtures";

test("sign in with a link from the mail, once", async ({ page }) => {
  const user = await createUser({ name: "Lin Okafor" });
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Email me a sign-in link" }).click();
  await expect(page).toHaveURL(/\/sign-in\/email-link$/);
  await page.getByLabel("Email").fill(user.email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("status").filter({ hasText: "a sign-in link is on its way" })).toBeVisible();

  const link = await waitForLink(user.email, "your sign-in link");
  expect(new URL(link).pathname).toBe("/sign-in/email-link");
  // Opening the link spends nothing: a second visit to the page still finds it working.
  await page.goto(link);
  await page.goto(link);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/tasks$/);
  await expect(page.getByTestId("signed-in-as")).toContainText("Lin Okafor");

  // Once used, the link says so on another device, and offers a new one.
  const other = await page.context().browser()!.newContext();
  const second = await other.newPage();
  await second.goto(link);
  await second.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(second.getByText("This link has expired or was already used")).toBeVisible();
  await expect(second.getByRole("button", { name: "Email me a sign-in link" })).toBeVisible();
  await other.close();
});
