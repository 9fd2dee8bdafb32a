// Signing the command line in through the browser (RFC 8628): the real CLI prints a link and a code, a signed-in person
// opens it, checks the code and approves or denies; an older session confirms it is you first.
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import type { APIRequestContext } from "@playwright/test";
import { CLI_CLIENT_ID } from "../src/lib/device-authorization";
import { hashPassword } from "../src/server/auth/password-hashing";
import { insertPasswords } from "../src/test/fixtures/sql";
import { BASE_URL } from "./support/env";
import { createUser, database, expect, seriousViolations, signInAs, sql, test } from "./support/fixtures";

/** The CLI's `sign-in` (no arguments) as a person runs it, with its own credentials file. */
function runCliSignIn() {
  const credentials = path.join(mkdtempSync(path.join(tmpdir(), "taskforge-cli-")), "credentials.json");
  const cli: ChildProcessByStdio<null, Readable, Readable> = spawn("npx", ["tsx", "scripts/cli.ts", "sign-in"], {
    env: { ...process.env, TASKFORGE_URL: BASE_URL, TASKFORGE_CREDENTIALS: credentials },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  cli.stdout.on("data", (chunk: Buffer) => (out += String(chunk)));
  cli.stderr.on("data", (chunk: Buffer) => (err += String(chunk)));
  const exited = new Promise<number | null>((resolve) => cli.on("exit", resolve));
  return { output: () => ({ out, err }), exited };
}

/** What the CLI does first, over HTTP: a device code for the CLI's client id. */
async function askForCode(request: APIRequestContext) {
  const response = await request.post("/api/auth/device/code", {
    data: { client_id: CLI_CLIENT_ID },
    headers: { origin: BASE_URL },
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as { device_code: string; user_code: string };
}

async function poll(request: APIRequestContext, deviceCode: string) {
  await sql("UPDATE device_codes SET last_polled_at = NULL WHERE device_code = $1", [deviceCode]);
  const response = await request.post("/api/auth/device/token", {
    data: {
      grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      device_code: deviceCode,
      client_id: CLI_CLIENT_ID,
    },
    headers: { origin: BASE_URL },
  });
  return (await response.json()) as { access_token?: string; error?: string };
}

test("the CLI prints a link; the person signed in checks the code there and approves; the CLI is signed in", async ({
  page,
  context,
}) => {
  test.slow();
  const user = await createUser({ name: "Dana Terminal" });
  await signInAs(context, user.id);
  const cli = runCliSignIn();
  await expect.poll(() => cli.output().out, { timeout: 30_000 }).toMatch(/open (\S+)/);
  const { out } = cli.output();
  const link = /open (\S+)/.exec(out)?.[1] ?? "";
  const code = /the code (\S+) /.exec(out)?.[1] ?? "";
  expect(link).toBe(`${BASE_URL}/device?user_code=${code}`);

  await page.goto(link);
  await expect(page.getByLabel("Code")).toHaveValue(`${code.slice(0, 4)}-${code.slice(4)}`);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByTestId("device-code")).toHaveText(`${code.slice(0, 4)}-${code.slice(4)}`);
  await expect(page.getByText("Taskforge command line (npm run cli)")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "docs/screenshots/device-approve-desktop.png", fullPage: true });
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByRole("status")).toHaveText(/Approved\. The command line is signed in as you/);

  expect(await cli.exited).toBe(0);
  expect(cli.output().out).toContain(`Signed in as Dana Terminal <${user.email}>.`);
  const [event] = await sql<{ detail: { clientId: string } }>(
    "SELECT detail FROM auth_events WHERE user_id = $1 AND type = 'device-approved'",
    [user.id],
  );
  expect(event?.detail).toEqual({ clientId: CLI_CLIENT_ID });
});

test("a code typed by hand, in lower case without the dash, can be denied: the CLI is told no", async ({
  page,
  context,
  request,
}) => {
  const user = await createUser();
  await signInAs(context, user.id);
  const { device_code: deviceCode, user_code: userCode } = await askForCode(request);
  await page.goto("/device");
  await page.getByLabel("Code").fill("ZZZZ-ZZZZ");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("This code is not right.")).toBeVisible();

  await page.getByLabel("Code").fill(userCode.toLowerCase());
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Deny" }).click();
  await expect(page.getByRole("status")).toHaveText(/Denied\. The command line was told no/);
  expect(await poll(request, deviceCode)).toMatchObject({ error: "access_denied" });
});

test("an older session confirms it is you before approving, then the approval goes on by itself", async ({
  page,
  context,
  request,
}) => {
  const password = "harbor-violet-quill-27";
  const user = await createUser();
  await insertPasswords(database, [user], await hashPassword(password));
  await signInAs(context, user.id);
  await sql("UPDATE sessions SET created_at = now() - interval '11 minutes' WHERE user_id = $1", [user.id]);
  const { device_code: deviceCode, user_code: userCode } = await askForCode(request);
  await page.goto(`/device?user_code=${userCode}`);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Approve" }).click();

  const prompt = page.getByRole("dialog", { name: "Confirm it is you" });
  await expect(prompt).toBeVisible();
  await prompt.getByLabel("Password", { exact: true }).fill(password);
  await prompt.getByRole("button", { name: "Continue" }).click();
  await expect(prompt).toBeHidden();
  await expect(page.getByRole("status")).toHaveText(/Approved\./);
  expect((await poll(request, deviceCode)).access_token).toMatch(/^[^.]+\..+$/);
});

test("signed out, /device leads to sign-in and back, code and all", async ({ page }) => {
  await page.goto("/device?user_code=WDJBMJHT");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fdevice%3Fuser_code%3DWDJBMJHT$/);
});
