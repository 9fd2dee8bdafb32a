// Organizations through the real pages: create one, invite by mail, accept in a second browser, work on shared tasks
// with the viewer's controls hidden, remove the member, who is refused at once.
import { createUser, expect, openOtherDevice, signInAs, sql, test } from "./support/fixtures";
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
  await other.page.goto(new URL(link).pathname);
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
