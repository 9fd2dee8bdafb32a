// Organizations through the real pages: create one, invite by mail, accept in a second browser, work on shared tasks
// with the viewer's controls hidden, remove the member, who is refused at once; then an organization's life after:
// renamed, a role changed, ownership handed over, the old owner leaving, the new one deleting it with its tasks.
import {
  createOrganization,
  createUser,
  expect,
  openOtherDevice,
  seriousViolations,
  signInAs,
  sql,
  test,
} from "./support/fixtures";
import { waitForLink } from "./support/mail";

test("create an organization, invite a viewer by mail, who sees shared tasks without controls and is refused once removed", async ({
  page,
  context,
  browser,
}) => {
  const owner = await createUser({ name: "Olga Owner" });
  const viewer = await createUser({ name: "Victor Viewer" });
  await signInAs(context, owner.id);

  await page.goto("/org/new");
  const name = `Team ${Date.now()}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create organization" }).click();
  await page.waitForURL("**/tasks");
  const [organization] = await sql<{ id: string; slug: string }>("SELECT id, slug FROM organizations WHERE name = $1", [
    name,
  ]);

  // Choose the organization as the space, and add a shared task.
  await page.getByLabel("Space").selectOption(organization!.id);
  await expect(page.getByTestId("space")).toContainText(name);
  const newTask = page.getByRole("form", { name: "New task" });
  await newTask.getByLabel("Title").fill("Shared plan");
  await newTask.getByRole("button", { name: "Add task" }).click();
  await expect(page.getByTestId("task")).toContainText("Shared plan");

  // Invite the viewer from the members page.
  await page.goto(`/org/${organization!.slug}/members`);
  await page.getByLabel("Email address").fill(viewer.email);
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Invite" }).click();
  await expect(page.getByRole("list", { name: "Pending invitations" })).toContainText(viewer.email);
  const link = await waitForLink(viewer.email, "join ");

  // The viewer accepts in another browser, and sees the shared task with no controls to change it.
  const other = await openOtherDevice(browser, viewer.id);
  // The invitation waits above the viewer's tasks too, leading where the mail does.
  const waiting = other.page
    .getByRole("region", { name: "Invitations to you" })
    .getByRole("link", { name: `Join ${name} as viewer` });
  await expect(waiting).toHaveAttribute("href", new URL(link).pathname);
  await waiting.click();
  await other.page.getByRole("button", { name: "Accept" }).click();
  await other.page.waitForURL("**/tasks");
  // Accepting makes the organization the active space.
  await other.page.reload();
  await expect(other.page.getByTestId("space")).toContainText(name);
  await expect(other.page.getByTestId("task")).toContainText("Shared plan");
  await expect(other.page.getByRole("button", { name: /Delete/ })).toHaveCount(0);
  await expect(other.page.getByRole("button", { name: /Edit/ })).toHaveCount(0);
  await expect(other.page.getByRole("button", { name: "Add task" })).toHaveCount(0);

  // The owner removes the viewer; the viewer's next call is refused.
  await page.reload();
  await page.getByRole("button", { name: `Remove ${viewer.email}` }).click();
  await expect(page.getByTestId("member")).toHaveCount(1);
  await other.page.reload();
  await expect(other.page.getByTestId("task")).toHaveCount(0);
  await other.context.close();
});

test("rename, change a role, hand over ownership and leave; the new owner deletes the organization with its tasks", async ({
  page,
  context,
  browser,
}) => {
  const owner = await createUser({ name: "Olga Owner" });
  const member = await createUser({ name: "Mia Member" });
  const organization = await createOrganization(
    "Blue Team",
    [
      { userId: owner.id, role: "owner" },
      { userId: member.id, role: "member" },
    ],
    ["Shared roadmap"],
  );
  const roleOf = async (userId: string) =>
    (
      await sql<{ role: string }>("SELECT role FROM members WHERE organization_id = $1 AND user_id = $2", [
        organization.id,
        userId,
      ])
    )[0]?.role ?? null;
  await signInAs(context, owner.id);
  await page.goto(`/org/${organization.slug}/members`);
  const settings = page.getByRole("region", { name: "Organization" });
  expect(await seriousViolations(page)).toEqual([]);

  // The only owner cannot leave.
  await page.getByRole("button", { name: "Leave" }).click();
  await expect(page.getByText(/only owner/i)).toBeVisible();
  expect(await roleOf(owner.id)).toBe("owner");

  await settings.getByLabel("Organization name").fill("Green Team");
  await settings.getByRole("button", { name: "Rename" }).click();
  await expect(settings.getByText("Renamed to Green Team.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Green Team: members");

  await page.getByLabel(`Role of ${member.email}`).selectOption("admin");
  await expect.poll(() => roleOf(member.id)).toBe("admin");

  await settings.getByLabel("New owner").selectOption({ label: `Mia Member (${member.email})` });
  await settings.getByRole("button", { name: "Transfer ownership" }).click();
  await expect(settings.getByText("Mia Member is now the owner; you are an admin.")).toBeVisible();
  expect([await roleOf(member.id), await roleOf(owner.id)]).toEqual(["owner", "admin"]);
  // An admin may rename but neither delete nor hand over ownership.
  await page.reload();
  await expect(settings.getByLabel("Organization name")).toBeVisible();
  await expect(settings.getByRole("button", { name: "Delete organization…" })).toHaveCount(0);
  await expect(settings.getByRole("button", { name: "Transfer ownership" })).toHaveCount(0);

  await page.getByRole("button", { name: "Leave" }).click();
  await page.waitForURL("**/tasks");
  expect(await roleOf(owner.id)).toBeNull();

  // The new owner deletes it: the name typed to confirm, then everything goes.
  const other = await openOtherDevice(browser, member.id);
  await other.page.goto(`/org/${organization.slug}/members`);
  const theirSettings = other.page.getByRole("region", { name: "Organization" });
  await theirSettings.getByRole("button", { name: "Delete organization…" }).click();
  await theirSettings.getByLabel("Type Green Team to delete it").fill("Green");
  await theirSettings.getByRole("button", { name: "Delete organization and its tasks" }).click();
  await expect(theirSettings.getByText("Type Green Team to confirm.")).toBeVisible();
  await theirSettings.getByLabel("Type Green Team to delete it").fill("Green Team");
  await theirSettings.getByRole("button", { name: "Delete organization and its tasks" }).click();
  await other.page.waitForURL("**/tasks");
  expect(await sql("SELECT 1 FROM organizations WHERE id = $1", [organization.id])).toEqual([]);
  expect(await sql("SELECT 1 FROM tasks WHERE organization_id = $1", [organization.id])).toEqual([]);
  const events = await sql<{ type: string }>(
    "SELECT type FROM auth_events WHERE detail->>'organizationId' = $1 ORDER BY created_at",
    [organization.id],
  );
  expect(events.map((event) => event.type)).toEqual(
    expect.arrayContaining(["organization-updated", "member-role-changed", "member-removed", "organization-deleted"]),
  );
  await other.context.close();
});

test("an app admin sees every organization with its owners, but not its tasks; an edited cursor starts over", async ({
  page,
  context,
}) => {
  const owner = await createUser({ name: "Omar Owner" });
  const name = `Admin View ${Date.now()}`;
  await createOrganization(name, [{ userId: owner.id, role: "owner" }], ["Private plan"]);
  const admin = await createUser({ role: "admin" });
  await signInAs(context, admin.id);
  await page.goto("/admin/organizations");
  const row = page.getByTestId("organization").filter({ hasText: name });
  await expect(row).toContainText(`Omar Owner ${owner.email}`);
  await expect(page.getByText("Private plan")).toHaveCount(0);
  await page.goto("/admin/organizations?cursor=not-a-cursor");
  await expect(page).toHaveURL(/\/admin\/organizations$/);
  await expect(page.getByRole("heading", { name: "Organizations" })).toBeVisible();
});
