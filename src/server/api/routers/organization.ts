// Organizations as app administrators see them: each with its owners, newest first. An app admin who is not a
// member gets no access to an organization's tasks (task.* asks for a membership).
import type { TRPCRouterRecord } from "@trpc/server";
import { organizationId, organizationListInput } from "@/lib/validation/organization";
import { afterCursor, newestFirst, toPage } from "@/server/api/pagination";
import { noInput } from "@/lib/validation/no-input";
import { adminProcedure, protectedProcedure } from "@/server/api/procedures";

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
    const me = await ctx.db.user.findUnique({
      where: { id: ctx.user.id },
      select: { email: true, emailVerified: true },
    });
    if (!me?.emailVerified) return [];
    return ctx.db.invitation.findMany({
      where: { email: me.email.toLowerCase(), status: "pending", expiresAt: { gt: new Date() } },
      orderBy: { createdAt: "desc" },
      take: 20,
      select: {
        id: true,
        role: true,
        expiresAt: true,
        organization: { select: { name: true } },
        inviter: { select: { name: true } },
      },
    });
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
