// Activity and devices that people can read: events in words with their actor and only the details that exist,
// the exact time on hover; devices by browser and system with versions, "this device" marked. Axe in light and dark.
import { insertSessions } from "@/test/fixtures/sql";
import { createUser, database, expect, seriousViolations, SERVER_COOKIE_FORMAT, sql, test } from "./support/fixtures";

const WINDOWS_CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";

for (const scheme of ["light", "dark"] as const) {
  test(`settings tells account activity and devices in words (${scheme})`, async ({ userPage: page, user }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const admin = await createUser({ role: "admin", name: "Morgan Admin" });
    await sql(
      `INSERT INTO auth_events (id, type, user_id, ip, detail, created_at) VALUES
       (gen_random_uuid(), 'sign-in-failed', $1, '203.0.113.7', '{"reason":"INVALID_EMAIL_OR_PASSWORD"}', now() - interval '3 hours'),
       (gen_random_uuid(), 'unbanned', $1, NULL, $2, now() - interval '2 hours')`,
      [user.id, JSON.stringify({ by: admin.id })],
    );
    await insertSessions(database, [user], SERVER_COOKIE_FORMAT, {
      userAgent: WINDOWS_CHROME,
      ipAddress: "198.51.100.4",
    });
    await page.goto("/settings");

    const activity = page.getByRole("list", { name: "Account activity" });
    const failed = activity.getByRole("listitem").filter({ hasText: "Sign-in failed" });
    await expect(failed).toContainText("Sign-in failed · wrong email or password");
    await expect(failed).toContainText("from 203.0.113.7 · 3 hours ago");
    await expect(failed.locator("time")).toHaveAttribute("title", /\d/);
    const lifted = activity.getByRole("listitem").filter({ hasText: "Ban lifted" });
    await expect(lifted).toHaveText(/^Ban lifted by an administrator\s*2 hours ago$/);
    await expect(activity).not.toContainText(/INVALID_EMAIL|null|by:|reason:/);
    await expect(activity).not.toContainText(admin.id);

    const devices = page.getByRole("list", { name: "Signed-in devices" }).getByTestId("session");
    await expect(devices.filter({ hasText: "This device" })).toContainText("Chrome 156 on Linux");
    await expect(devices.filter({ hasText: "Chrome 142 on Windows 10" })).toContainText("198.51.100.4");
    expect(await seriousViolations(page)).toEqual([]);
  });
}
