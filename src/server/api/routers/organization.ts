// The caller's organizations and the invitations waiting for them; organizations as app administrators see them,
// each with its owners, newest first. An app admin who is not a member gets no access to an organization's tasks
// (task.* asks for a membership).
import type { TRPCRouterRecord } from "@trpc/server";
import { organizationId, organizationListInput } from "@/lib/validation/organization";
import { afterCursor, newestFirst, toPage } from "@/server/api/pagination";
import { noInput } from "@/lib/validation/no-input";
import { adminProcedure, protectedProcedure } from "@/server/api/procedures";

type InvitationRow = {
  id: string;
  role: string | null;
  expiresAt: Date;
  organizationName: string;
  inviterName: string;
};

export const organizationRouter = {
  /**
   * The caller's organizations with their role in each, and the session's active one (the space task procedures use
   * when a call names none; null: personal), for the header's switcher and the controls a role may use.
   */
  mine: protectedProcedure.input(noInput).query(async ({ ctx }) => {
    const memberships = await ctx.db.member.findMany({
      where: { userId: ctx.user.id },
      orderBy: { createdAt: "asc" },
      select: { role: true, organization: { select: { id: true, name: true, slug: true } } },
    });
    const active = (ctx.session.session as { activeOrganizationId?: string | null }).activeOrganizationId ?? null;
    const organizations = memberships.map(({ role, organization }) => ({ ...organization, role }));
    return { organizations, active: organizations.find((organization) => organization.id === active) ?? null };
  }),

  /**
   * Invitations waiting for the caller: pending, not expired, to their address once it is confirmed (as accepting
   * one requires; an unconfirmed address could be someone else's), newest first, for the tasks page to offer.
   */
  invitations: protectedProcedure.input(noInput).query(async ({ ctx }) => {
    // One statement: the address and its confirmation are read with the invitations (not taken from a JWT, which
    // may be ten minutes old), and the invitations are joined to their organization and inviter.
    const rows = await ctx.db.$queryRaw<InvitationRow[]>`
      SELECT i.id, i.role, i.expires_at AS "expiresAt", o.name AS "organizationName", inviter.name AS "inviterName"
      FROM users me
      JOIN invitations i ON i.email = lower(me.email) AND i.status = 'pending' AND i.expires_at > now()
      JOIN organizations o ON o.id = i.organization_id
      JOIN users inviter ON inviter.id = i.inviter_id
      WHERE me.id = ${ctx.user.id} AND me.email_verified
      ORDER BY i.created_at DESC
      LIMIT 20`;
    return rows.map(({ organizationName, inviterName, ...invitation }) => ({
      ...invitation,
      organization: { name: organizationName },
      inviter: { name: inviterName },
    }));
  }),

  list: adminProcedure.input(organizationListInput).query(async ({ ctx, input }) => {
    const rows = await ctx.db.organization.findMany({
      where: afterCursor(input.cursor, organizationId),
      orderBy: [...newestFirst],
      take: input.limit + 1,
      select: {
        id: true,
        name: true,
        slug: true,
        createdAt: true,
        _count: { select: { members: true } },
        members: {
          where: { role: { contains: "owner" } },
          select: { role: true, user: { select: { id: true, name: true, email: true } } },
        },
      },
    });
    const page = toPage(rows, input.limit);
    return {
      nextCursor: page.nextCursor,
      items: page.items.map(({ _count, members, ...organization }) => ({
        ...organization,
        memberCount: _count.members,
        owners: members.filter((member) => member.role.split(",").includes("owner")).map((member) => member.user),
      })),
    };
  }),
} satisfies TRPCRouterRecord;
