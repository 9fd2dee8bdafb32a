// Organizations as app administrators see them: each with its owners, newest first. An app admin who is not a
// member gets no access to an organization's tasks (task.* asks for a membership).
import type { TRPCRouterRecord } from "@trpc/server";
import { organizationId, organizationListInput } from "@/lib/validation/organization";
import { afterCursor, newestFirst, toPage } from "@/server/api/pagination";
import { adminProcedure } from "@/server/api/procedures";

export const organizationRouter = {
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
