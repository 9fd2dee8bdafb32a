import { describe, expect, it } from "vitest";
import { codeOf, createOrganization, createTestCaller, createUser } from "@/test/fixtures";

describe("organization.list", () => {
  it("shows app admins every organization with its owners, but not its tasks", async () => {
    const owner = await createUser({ name: "Olga Owner" });
    const viewer = await createUser();
    const { id } = await createOrganization([
      [owner, "owner"],
      [viewer, "viewer"],
    ]);
    const admin = await createTestCaller(await createUser({ role: "admin" }));
    const page = await admin.organization.list({ limit: 100 });
    const listed = page.items.find((organization) => organization.id === id);
    expect(listed).toMatchObject({ memberCount: 2, owners: [{ id: owner.id, name: "Olga Owner" }] });
    expect(await codeOf(admin.task.list({ organizationId: id }))).toBe("FORBIDDEN");
  });

  it("is FORBIDDEN to a member who is not an app admin", async () => {
    const owner = await createUser();
    await createOrganization([[owner, "owner"]]);
    expect(await codeOf((await createTestCaller(owner)).organization.list())).toBe("FORBIDDEN");
  });
});

describe("organization.mine", () => {
  it("lists the caller's organizations with their role, and no one else's", async () => {
    const user = await createUser();
    const { id } = await createOrganization([[user, "viewer"]]);
    await createOrganization([[await createUser(), "owner"]]);
    const mine = await (await createTestCaller(user)).organization.mine();
    expect(mine.organizations).toEqual([expect.objectContaining({ id, role: "viewer" })]);
    expect(mine.active).toBeNull();
  });
});
