// The landing page leads with what the product does (a picture of the task list), security second; it fits a phone.
import { expect, test } from "./support/fixtures";

test("the landing page shows the task list first and security second, on a desktop and a phone", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Know what to do next.");
  const picture = page.getByRole("list", { name: "An example task list" });
  await expect(picture.getByRole("listitem")).toHaveCount(4);
  await expect(picture).toContainText("Overdue · due 2 days ago");
  const security = page.getByRole("heading", { name: "Your account, kept safe" });
  await expect(security).toBeVisible();
  // Security comes after the product, in reading order.
  const order = await page.evaluate(() => {
    const list = document.querySelector("[aria-label='An example task list']");
    const heading = document.getElementById("security-heading");
    return list && heading ? list.compareDocumentPosition(heading) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
  });
  expect(order).toBeTruthy();

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(picture).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
