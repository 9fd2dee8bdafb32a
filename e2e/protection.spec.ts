// The proxy: signed-out visitors of protected pages go to sign-in and come back; security headers on every page.
import { expect, SESSION_COOKIE_NAME, test } from "./support/fixtures";

for (const path of ["/tasks", "/settings", "/admin/users", "/admin/mail"]) {
  test(`a signed-out visitor of ${path} is sent to sign-in`, async ({ page }) => {
    await page.goto(path);
    await expect(page).toHaveURL(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  });
}

test("a stale cookie is caught by the page itself, not only by the proxy", async ({ page, context }) => {
  await context.addCookies([
    {
      name: SESSION_COOKIE_NAME,
      value: "forged.value",
      domain: "localhost",
      path: "/",
      secure: true,
      httpOnly: true,
    },
  ]);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fsettings/);
});

test("callbackUrl only leads to pages of this site", async ({ userPage: page }) => {
  for (const elsewhere of ["https://evil.example/phish", "//evil.example", "/\\evil.example", "/..//evil.example"]) {
    await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(elsewhere)}`);
    await expect(page).toHaveURL(/\/tasks$/);
  }
  await page.goto("/sign-in?callbackUrl=%2Fsettings");
  await expect(page).toHaveURL(/\/settings$/);
});

test("a page's URL parameters never crash it: inherited property names, repeated parameters", async ({ request }) => {
  const values = ["__proto__", "constructor", "toString", "hasOwnProperty"];
  for (const query of [
    ...values.map((value) => `reason=${value}`),
    "reason=a&reason=b",
    "callbackUrl=%2Fa&callbackUrl=%2Fb",
  ]) {
    for (const path of ["/", "/sign-in"]) {
      expect((await request.get(`${path}?${query}`, { maxRedirects: 0 })).status(), `${path}?${query}`).toBe(200);
    }
  }
  for (const value of values) expect((await request.get(`/verify-email?error=${value}`)).status()).toBe(200);
});

test("every page carries a nonce-based CSP and the other security headers", async ({ request }) => {
  // /api/nope is Next's 404 page, with the signed-in header: a page like the others.
  for (const path of ["/", "/sign-in", "/tasks", "/api/nope"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    const headers = response.headers();
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).not.toContain("unsafe-eval");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["strict-transport-security"]).toContain("max-age=");
  }
});

test("the page's scripts run under the CSP (no violations)", async ({ userPage }) => {
  const violations: string[] = [];
  userPage.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) violations.push(message.text());
  });
  await userPage.goto("/tasks");
  await userPage.getByLabel("Title").fill("Scripts work");
  await userPage.getByRole("button", { name: "Add task" }).click();
  await expect(userPage.getByTestId("task")).toHaveCount(1);
  expect(violations).toEqual([]);
});

test("/verify-email?verified=1 claims a confirmed email only to a signed-in, verified user", async ({ page }) => {
  await page.goto("/verify-email?verified=1");
  await expect(page.getByRole("heading", { name: "Sign in to continue" })).toBeVisible();
  await expect(page.getByText("you are signed in")).toHaveCount(0);
});
