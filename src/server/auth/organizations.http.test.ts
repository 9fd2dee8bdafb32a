// Organizations through the real handlers: the creator is owner; invitations are mailed (through the outbox) and
// accepted only by a signed-in user whose confirmed address is the invited one, once, while pending and unexpired;
// the last owner can neither leave nor be demoted, even by two owners demoting each other at once; each change is
// audited with its actor and target.
import { describe, expect, it } from "vitest";
import type { AuthEventType } from "@/server/audit";
import { db } from "@/server/db";
import { createUser, signIn, type TestUser } from "@/test/fixtures";
import { authRequest, nextClientIp } from "@/test/http";
import { linkIn, mailTo, nthMailTo } from "@/test/mailbox";

const INVITATION_SUBJECT = /join /;

async function cookieOf(user: { id: string }): Promise<string> {
  return (await signIn(user)).headers.get("cookie") ?? "";
}

function orgRequest(path: string, cookie: string, body?: unknown) {
  return authRequest(`/organization/${path}`, { body, headers: { cookie }, ip: nextClientIp() });
}

async function createOrganizationAs(user: TestUser) {
  const cookie = await cookieOf(user);
  const slug = `team-${crypto.randomUUID().slice(0, 8)}`;
  const response = await orgRequest("create", cookie, { name: "Team", slug });
  expect(response.status).toBe(200);
  const { id } = (await response.json()) as { id: string };
  return { id, slug, cookie };
}

async function roleOf(organizationId: string, userId: string) {
  return (await db.member.findFirst({ where: { organizationId, userId }, select: { role: true } }))?.role ?? null;
}

async function invite(organizationId: string, cookie: string, email: string, role = "member") {
  const response = await orgRequest("invite-member", cookie, { organizationId, email, role });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

const eventsOf = (organizationId: string, type: AuthEventType) =>
  db.authEvent.findMany({
    where: { type, detail: { path: ["organizationId"], equals: organizationId } },
    select: { userId: true, detail: true },
  });

describe("creating an organization", () => {
  it("makes its creator the owner and audits it", async () => {
    const owner = await createUser();
    const { id } = await createOrganizationAs(owner);
    expect(await roleOf(id, owner.id)).toBe("owner");
    const [event] = await eventsOf(id, "organization-created");
    expect(event).toMatchObject({ userId: owner.id, detail: { actorId: owner.id } });
  });

  it("refuses a slug already taken", async () => {
    const { slug } = await createOrganizationAs(await createUser());
    const response = await orgRequest("create", await cookieOf(await createUser()), { name: "Copy", slug });
    expect(response.status).toBe(400);
  });
});

describe("invitations", () => {
  it("are mailed with a link to the invitation page, and accepted by the invited, confirmed user", async () => {
    const owner = await createUser();
    const invitee = await createUser();
    const { id, cookie } = await createOrganizationAs(owner);
    const invitationId = await invite(id, cookie, invitee.email, "viewer");
    const link = new URL(linkIn(await mailTo(invitee.email, INVITATION_SUBJECT), "http"));
    expect(link.pathname).toBe(`/invitations/${invitationId}`);
    const accepted = await orgRequest("accept-invitation", await cookieOf(invitee), { invitationId });
    expect(accepted.status).toBe(200);
    expect(await roleOf(id, invitee.id)).toBe("viewer");
    expect(await eventsOf(id, "invitation-sent")).toMatchObject([{ userId: owner.id }]);
    expect(await eventsOf(id, "invitation-accepted")).toMatchObject([{ userId: invitee.id }]);
  });

  it("is refused to a signed-in user with another address, and changes nothing", async () => {
    const { id, cookie } = await createOrganizationAs(await createUser());
    const invitee = await createUser();
    const stranger = await createUser();
    const invitationId = await invite(id, cookie, invitee.email);
    const response = await orgRequest("accept-invitation", await cookieOf(stranger), { invitationId });
    expect(response.status).toBe(403);
    expect(await roleOf(id, stranger.id)).toBeNull();
    expect((await db.invitation.findUniqueOrThrow({ where: { id: invitationId } })).status).toBe("pending");
  });

  it("is refused while the invited address is not confirmed", async () => {
    const { id, cookie } = await createOrganizationAs(await createUser());
    const invitee = await createUser();
    await db.user.update({ where: { id: invitee.id }, data: { emailVerified: false } });
    const invitationId = await invite(id, cookie, invitee.email);
    const response = await orgRequest("accept-invitation", await cookieOf(invitee), { invitationId });
    expect(response.status).toBe(403);
    expect(await roleOf(id, invitee.id)).toBeNull();
  });

  it("is refused to an anonymous caller", async () => {
    const { id, cookie } = await createOrganizationAs(await createUser());
    const invitationId = await invite(id, cookie, (await createUser()).email);
    expect((await orgRequest("accept-invitation", "", { invitationId })).status).toBe(401);
  });

  it("expires after 7 days", async () => {
    const { id, cookie } = await createOrganizationAs(await createUser());
    const invitee = await createUser();
    const invitationId = await invite(id, cookie, invitee.email);
    const { expiresAt, createdAt } = await db.invitation.findUniqueOrThrow({ where: { id: invitationId } });
    expect(expiresAt.getTime() - createdAt.getTime()).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(expiresAt.getTime() - createdAt.getTime()).toBeLessThan(7 * 86_400_000 + 60_000);
    await db.invitation.update({ where: { id: invitationId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const response = await orgRequest("accept-invitation", await cookieOf(invitee), { invitationId });
    expect(response.status).toBe(400);
    expect(await roleOf(id, invitee.id)).toBeNull();
  });

  it("once revoked, is refused, and the revocation is audited", async () => {
    const owner = await createUser();
    const { id, cookie } = await createOrganizationAs(owner);
    const invitee = await createUser();
    const invitationId = await invite(id, cookie, invitee.email);
    expect((await orgRequest("cancel-invitation", cookie, { invitationId })).status).toBe(200);
    const response = await orgRequest("accept-invitation", await cookieOf(invitee), { invitationId });
    expect(response.status).toBe(400);
    expect(await roleOf(id, invitee.id)).toBeNull();
    expect(await eventsOf(id, "invitation-cancelled")).toMatchObject([{ userId: owner.id }]);
  });

  it("works once: replayed after acceptance, or after leaving, it is refused", async () => {
    const { id, cookie } = await createOrganizationAs(await createUser());
    const invitee = await createUser();
    const invitationId = await invite(id, cookie, invitee.email);
    const inviteeCookie = await cookieOf(invitee);
    expect((await orgRequest("accept-invitation", inviteeCookie, { invitationId })).status).toBe(200);
    expect((await orgRequest("accept-invitation", inviteeCookie, { invitationId })).status).toBe(400);
    expect((await orgRequest("leave", inviteeCookie, { organizationId: id })).status).toBe(200);
    expect((await orgRequest("accept-invitation", inviteeCookie, { invitationId })).status).toBe(400);
    expect(await roleOf(id, invitee.id)).toBeNull();
  });

  it("sent again, is mailed again with the same link and its 7 days start over; invited anew, the old link dies", async () => {
    const { id, cookie } = await createOrganizationAs(await createUser());
    const invitee = await createUser();
    const invitationId = await invite(id, cookie, invitee.email);
    await mailTo(invitee.email, INVITATION_SUBJECT);
    await db.invitation.update({ where: { id: invitationId }, data: { expiresAt: new Date(Date.now() + 86_400_000) } });
    const again = await orgRequest("invite-member", cookie, {
      organizationId: id,
      email: invitee.email,
      role: "member",
      resend: true,
    });
    expect(again.status).toBe(200);
    const second = await nthMailTo(invitee.email, INVITATION_SUBJECT, 2);
    expect(new URL(linkIn(second, "http")).pathname).toBe(`/invitations/${invitationId}`);
    const { expiresAt } = await db.invitation.findUniqueOrThrow({ where: { id: invitationId } });
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 7 * 86_400_000 - 60_000);

    // Invited anew (not sent again): a new invitation, and the one before can no longer be accepted.
    const newer = await invite(id, cookie, invitee.email);
    expect(newer).not.toBe(invitationId);
    const inviteeCookie = await cookieOf(invitee);
    expect((await orgRequest("accept-invitation", inviteeCookie, { invitationId })).status).toBe(400);
    expect((await orgRequest("accept-invitation", inviteeCookie, { invitationId: newer })).status).toBe(200);
  });

  it("cannot be sent by a viewer or a member", async () => {
    const owner = await createUser();
    const { id, cookie } = await createOrganizationAs(owner);
    for (const role of ["viewer", "member"]) {
      const user = await createUser();
      await orgRequest("accept-invitation", await cookieOf(user), {
        invitationId: await invite(id, cookie, user.email, role),
      });
      const response = await orgRequest("invite-member", await cookieOf(user), {
        organizationId: id,
        email: `someone-${crypto.randomUUID()}@example.com`,
        role: "member",
      });
      expect(response.status).toBe(403);
    }
  });
});

describe("the last owner", () => {
  it("cannot leave", async () => {
    const owner = await createUser();
    const { id, cookie } = await createOrganizationAs(owner);
    expect((await orgRequest("leave", cookie, { organizationId: id })).status).toBe(400);
    expect(await roleOf(id, owner.id)).toBe("owner");
  });

  it("cannot be demoted", async () => {
    const owner = await createUser();
    const { id, cookie } = await createOrganizationAs(owner);
    const memberId = (await db.member.findFirstOrThrow({ where: { organizationId: id, userId: owner.id } })).id;
    const response = await orgRequest("update-member-role", cookie, { organizationId: id, memberId, role: "admin" });
    expect(response.status).toBe(400);
    expect(await roleOf(id, owner.id)).toBe("owner");
  });

  // PGlite serves one connection at a time, so the race is real on PostgreSQL (DATABASE_URL), where this test fails
  // without the members_keep_an_owner trigger (both demotions pass Better Auth's check and no owner is left).
  it("two owners demoting each other at once leave one owner", async () => {
    for (let round = 0; round < 5; round++) {
      const first = await createUser();
      const second = await createUser();
      const { id, cookie: firstCookie } = await createOrganizationAs(first);
      await db.member.create({
        data: { id: crypto.randomUUID(), organizationId: id, userId: second.id, role: "owner", createdAt: new Date() },
      });
      const memberIds = await db.member.findMany({ where: { organizationId: id }, select: { id: true, userId: true } });
      const memberOf = (userId: string) => memberIds.find((member) => member.userId === userId)!.id;
      const secondCookie = await cookieOf(second);
      const answers = await Promise.all([
        orgRequest("update-member-role", firstCookie, {
          organizationId: id,
          memberId: memberOf(second.id),
          role: "member",
        }),
        orgRequest("update-member-role", secondCookie, {
          organizationId: id,
          memberId: memberOf(first.id),
          role: "member",
        }),
      ]);
      const owners = await db.member.count({ where: { organizationId: id, role: "owner" } });
      expect(owners).toBe(1);
      expect(answers.map((answer) => answer.status).sort()).toEqual(
        answers.some((answer) => answer.status === 403) ? [200, 403] : [200, 400],
      );
    }
  });
});

describe("members and roles", () => {
  it("a role change and a removal are audited with actor and target", async () => {
    const owner = await createUser();
    const { id, cookie } = await createOrganizationAs(owner);
    const user = await createUser();
    await orgRequest("accept-invitation", await cookieOf(user), { invitationId: await invite(id, cookie, user.email) });
    const memberId = (await db.member.findFirstOrThrow({ where: { organizationId: id, userId: user.id } })).id;
    expect(
      (await orgRequest("update-member-role", cookie, { organizationId: id, memberId, role: "admin" })).status,
    ).toBe(200);
    expect((await orgRequest("remove-member", cookie, { organizationId: id, memberIdOrEmail: memberId })).status).toBe(
      200,
    );
    expect(await eventsOf(id, "member-role-changed")).toMatchObject([
      { userId: user.id, detail: { actorId: owner.id, role: "admin", previousRole: "member" } },
    ]);
    expect(await eventsOf(id, "member-removed")).toMatchObject([{ userId: user.id, detail: { actorId: owner.id } }]);
  });

  it("leaving is audited as the member's own removal", async () => {
    const { id, cookie } = await createOrganizationAs(await createUser());
    const member = await createUser();
    const memberCookie = await cookieOf(member);
    await orgRequest("accept-invitation", memberCookie, { invitationId: await invite(id, cookie, member.email) });
    expect((await orgRequest("leave", memberCookie, { organizationId: id })).status).toBe(200);
    expect(await eventsOf(id, "member-removed")).toEqual([
      {
        userId: member.id,
        detail: { organizationId: id, actorId: member.id, role: "member", left: "true" },
      },
    ]);
  });

  it("deleting an organization deletes its tasks", async () => {
    const owner = await createUser();
    const { id, cookie } = await createOrganizationAs(owner);
    await db.task.create({ data: { title: "Shared", organizationId: id, createdById: owner.id } });
    expect((await orgRequest("delete", cookie, { organizationId: id })).status).toBe(200);
    expect(await db.task.count({ where: { organizationId: id } })).toBe(0);
    expect(await eventsOf(id, "organization-deleted")).toMatchObject([{ userId: owner.id }]);
  });

  it("deleting an organization needs a fresh session", async () => {
    const owner = await createUser();
    const { id } = await createOrganizationAs(owner);
    const stale = (await signIn(owner, { signedInAt: new Date(Date.now() - 11 * 60_000) })).headers.get("cookie") ?? "";
    expect((await orgRequest("delete", stale, { organizationId: id })).status).toBe(403);
    expect(await db.organization.count({ where: { id } })).toBe(1);
  });
});
