// What a first visit downloads: Better Auth's client SDK only on the pages whose forms use it at once, and
// zxcvbn's dictionaries (about 1.6 MB) only once a new password is being typed. Sizes: `npm run bench:bundle`.
import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";

/** Text only these libraries' code contains (the same markers as bench/bundle-size.ts). */
const carries = {
  authClient: (code: string) => code.includes("$sessionSignal"),
  zxcvbn: (code: string) => /\bqwerty\b/.test(code) && code.includes("dvorak"),
};

/** Records the scripts `page` downloads from now on; `seen()` tells which libraries they carried. */
function watchScripts(page: Page) {
  const bodies: Array<Promise<string>> = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") bodies.push(response.text().catch(() => ""));
  });
  return {
    async seen() {
      const code = await Promise.all(bodies);
      return { authClient: code.some(carries.authClient), zxcvbn: code.some(carries.zxcvbn) };
    },
  };
}

test("tasks and settings load neither the auth client nor zxcvbn", async ({ userPage: page }) => {
  for (const path of ["/tasks", "/settings"]) {
    const scripts = watchScripts(page);
    await page.goto(path, { waitUntil: "networkidle" });
    expect(await scripts.seen(), path).toEqual({ authClient: false, zxcvbn: false });
  }
});

test("sign-up loads zxcvbn when a password is typed, not with the page", async ({ page }) => {
  const scripts = watchScripts(page);
  await page.goto("/sign-up", { waitUntil: "networkidle" });
  expect(await scripts.seen()).toEqual({ authClient: true, zxcvbn: false });
  await page.getByLabel("Password", { exact: true }).fill("correct-horse");
  await expect(page.getByText(/^Strength: /)).toBeVisible();
  expect((await scripts.seen()).zxcvbn).toBe(true);
});
