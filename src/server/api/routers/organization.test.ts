import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { codeOf, createOrganization, createTestCaller, createUser } from "@/test/fixtures";
import { statementsDuring } from "@/test/statement-counter";

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

describe("organization.invitations", () => {
  const invite = async (organizationId: string, email: string, inviterId: string, days = 7, status = "pending") =>
    db.invitation.create({
      data: {
        id: crypto.randomUUID(),
        organizationId,
        email,
        role: "member",
        status,
        expiresAt: new Date(Date.now() + days * 86_400_000),
        inviterId,
      },
    });

  it("lists the pending, unexpired invitations to the caller's confirmed address, and no one else's", async () => {
    const owner = await createUser({ name: "Olga Owner" });
    const invited = await createUser();
    const { id } = await createOrganization([[owner, "owner"]]);
    const waiting = await invite(id, invited.email, owner.id);
    await invite(id, invited.email, owner.id, -1); // expired
    await invite(id, invited.email, owner.id, 7, "rejected");
    await invite(id, "someone.else@example.com", owner.id);
    const listed = await (await createTestCaller(invited)).organization.invitations();
    expect(listed).toEqual([
      {
        id: waiting.id,
        role: "member",
        expiresAt: waiting.expiresAt,
        organization: { name: expect.any(String) },
        inviter: { name: "Olga Owner" },
      },
    ]);
  });

  it("costs one statement: the address, its confirmation and the invitations read together", async () => {
    const owner = await createUser();
    const invited = await createUser();
    await invite((await createOrganization([[owner, "owner"]])).id, invited.email, owner.id);
    const caller = await createTestCaller(invited);
    const statements = await statementsDuring(async () =>
      expect(await caller.organization.invitations()).toHaveLength(1),
    );
    expect(statements.map((statement) => statement.sql)).toHaveLength(1);
  });

  it("lists nothing while the caller's address is not confirmed: it could be someone else's", async () => {
    const owner = await createUser();
    const invited = await createUser();
    await db.user.update({ where: { id: invited.id }, data: { emailVerified: false } });
    const { id } = await createOrganization([[owner, "owner"]]);
    await invite(id, invited.email, owner.id);
    expect(await (await createTestCaller(invited)).organization.invitations()).toEqual([]);
  });
});
