// Passkeys through the real pages with Chromium's virtual authenticator (WebAuthn over CDP, on localhost): add one in
// settings, sign out, sign in with it (an account with a second factor is not asked for a code), rename, remove (not
// while it is the only way to sign in); sign up with no password and a passkey made once the address is confirmed,
// which then signs in through the email field's autofill and confirms it is you (deleting the account).
import type { BrowserContext, Page } from "@playwright/test";
import { hashPassword } from "../src/server/auth/password-hashing";
import { insertPasswords } from "../src/test/fixtures/sql";
import { createUser, database, type E2EUser, expect, signInAs, sql, test } from "./support/fixtures";
import { waitForLink } from "./support/mail";

test.describe.configure({ mode: "serial" });

let user: E2EUser;

/** A platform authenticator with user verification, which keeps its passkeys for the whole context. */
async function virtualAuthenticator(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}

test("add a passkey in settings, sign out, sign in with it without a code, rename it, remove it once a password is set", async ({
  page,
  context,
}) => {
  user = await createUser({ name: "Pat Passkey" });
  // The account also has a second factor: a passkey sign-in must not stop at it.
  await sql("UPDATE users SET two_factor_enabled = true WHERE id = $1", [user.id]);
  await signInAs(context, user.id);
  await virtualAuthenticator(context, page);

  await page.goto("/settings");
  const card = page.getByRole("region", { name: "Passkeys" });
  await card.getByLabel("Passkey name").fill("Work laptop");
  await card.getByRole("button", { name: "Add a passkey" }).click();
  await expect(card.getByText('Passkey "Work laptop" added')).toBeVisible();
  await expect(card.getByTestId("passkey")).toHaveCount(1);
  await expect(card.getByTestId("passkey")).toContainText("not used yet");

  await context.clearCookies();
  // The button's own path: without autofill, which the virtual authenticator would answer at once (signing in by
  // itself, racing the press for the challenge cookie). The autofill path has its own test below.
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
  const [session] = await sql<{ second_factor: string }>(
    "SELECT second_factor FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1",
    [user.id],
  );
  expect(session?.second_factor).toBe("passkey");

  await page.goto("/settings");
  await expect(card.getByTestId("passkey")).toContainText("last used");
  await card.getByRole("button", { name: "Rename Work laptop" }).click();
  await card.getByLabel("New name").fill("Old laptop");
  await card.getByRole("button", { name: "Save" }).click();
  await expect(card.getByTestId("passkey")).toContainText("Old laptop");

  // The account has no password: its only passkey stays.
  await card.getByRole("button", { name: "Remove Old laptop" }).click();
  await expect(card.getByRole("alert")).toContainText("the only way left to sign in");
  await expect(card.getByTestId("passkey")).toHaveCount(1);

  await insertPasswords(database, [{ id: user.id }], await hashPassword("copper-lantern-harbor-52"));
  await card.getByRole("button", { name: "Remove Old laptop" }).click();
  await expect(card.getByText("Passkey removed.")).toBeVisible();
  await expect(card.getByTestId("passkey")).toHaveCount(0);
});

test("sign up without a password: confirm from the mail, the passkey is made, and signs in", async ({
  page,
  context,
}) => {
  await virtualAuthenticator(context, page);
  const email = `passkey-only-${Date.now()}@e2e.test`;
  await page.goto("/sign-up");
  await page.getByRole("button", { name: "Use a passkey instead of a password" }).click();
  await expect(page.getByLabel("Password", { exact: true })).toHaveCount(0);
  await page.getByLabel("Name").fill("Kim Keyless");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Create account with a passkey" }).click();
  await expect(page.getByText("Almost done")).toBeVisible();

  await page.goto(await waitForLink(email, "confirm your email address"));
  await page.getByRole("button", { name: "Confirm and create a passkey" }).click();
  await expect(page.getByText("Your email address is confirmed")).toBeVisible();
  const [account] = await sql<{ passkeys: string; passwords: string }>(
    `SELECT (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id) AS passkeys,
            (SELECT count(*) FROM accounts a WHERE a.user_id = u.id) AS passwords
       FROM users u WHERE email = $1`,
    [email],
  );
  expect(account).toEqual({ passkeys: "1", passwords: "0" });

  // Signed out, the sign-in page's email field offers the passkey (conditional mediation, which the virtual
  // authenticator answers at once): it signs in without a press on "Use a passkey".
  await context.clearCookies();
  await page.goto("/sign-in");
  await expect(page).toHaveURL(/\/tasks$/);
  await expect(page.getByTestId("signed-in-as")).toContainText("Kim Keyless");

  // No password to change; deleting the account after a while asks for the passkey, not a password.
  await page.goto("/settings");
  await expect(page.getByText("This account has no password")).toBeVisible();
  await sql(
    "UPDATE sessions SET created_at = now() - interval '11 minutes' WHERE user_id = (SELECT id FROM users WHERE email = $1)",
    [email],
  );
  await page.getByRole("button", { name: "Delete my account…" }).click();
  await page.getByRole("button", { name: "Delete my account permanently" }).click();
  const prompt = page.getByRole("dialog", { name: "Confirm it is you" });
  await prompt.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page).toHaveURL(/\/\?reason=account-deleted$/);
  expect(await sql("SELECT id FROM users WHERE email = $1", [email])).toEqual([]);
});
