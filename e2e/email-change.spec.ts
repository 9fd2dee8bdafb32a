// Changing the email address through the real pages and the captured mail: asked in settings, confirmed from the
// link at the new address (a press, not the visit), the old address told.
import { waitForLink } from "./support/mail";
import { expect, test } from "./support/fixtures";

test("change the email address: it takes effect once the new address confirms it", async ({ userPage: page, user }) => {
  const newEmail = `moved-${Date.now()}@e2e.test`;
  await page.goto("/settings");
  await page.getByLabel("New email address").fill(newEmail);
  await page.getByRole("button", { name: "Send a confirmation link" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Open the link we sent to ${newEmail}` })).toBeVisible();

  const link = await waitForLink(newEmail, "confirm your new email address");
  await page.goto(link);
  await page.reload(); // opening the link changes nothing
  await page.goto("/settings");
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue(user.email);

  await page.goto(link);
  await page.getByRole("button", { name: "Use this address" }).click();
  await expect(page.getByText("Your email address is changed")).toBeVisible();
  await page.goto("/settings");
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue(newEmail);
});
