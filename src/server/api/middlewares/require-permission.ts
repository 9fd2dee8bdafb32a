// Organization spaces. `resolveSpace` (in orgProcedure) finds the space a call works in: its input's
// `organizationId`, or else the session's active organization, or else the caller's personal space. For an
// organization it reads the caller's membership and role from the database on every call (as requireAdmin reads
// the app role): a removed member is refused at their next call. `requirePermission` then checks that role against
// the one permission table (src/lib/permissions.ts). Only requirePermission hands the procedure its `space`, so a
// procedure that declares no permission has nothing to scope its queries with.
import { TRPCError } from "@trpc/server";
import { type Permission, roleAllows } from "@/lib/permissions";
import { spaceField } from "@/lib/validation/organization";
import { middleware } from "@/server/api/trpc";

export const NOT_A_MEMBER_MESSAGE = "You are not a member of this organization.";
export const NOT_ALLOWED_MESSAGE = "Your role in this organization does not allow this.";

type Membership = { organizationId: string; role: string } | null;

/** Where a procedure's rows are: `where` scopes every query, `data` is what a new row carries. */
export type Space =
  | { kind: "personal"; where: { userId: string }; data: { userId: string } }
  | {
      kind: "organization";
      organizationId: string;
      role: string;
      where: { organizationId: string };
      data: { organizationId: string; createdById: string };
    };

/**
 * The organization a call names: its input's (null: personal), else the session's active one. Read before the
 * procedure's own input is parsed (membership decides before anything else), so checked here with the same schema.
 */
function requestedOrganization(input: unknown, session: unknown): string | null {
  if (input && typeof input === "object" && "organizationId" in input && input.organizationId !== undefined) {
    const named = spaceField.organizationId.safeParse(input.organizationId);
    if (!named.success) throw new TRPCError({ code: "BAD_REQUEST", message: "Not an organization id" });
    return named.data ?? null;
  }
  const active = (session as { activeOrganizationId?: unknown } | undefined)?.activeOrganizationId;
  return typeof active === "string" ? active : null;
}

export const resolveSpace = middleware(async ({ ctx, getRawInput, next }) => {
  const user = (ctx as { user?: { id: string } }).user;
  if (!user || !ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  const organizationId = requestedOrganization(await getRawInput(), ctx.session.session);
  let membership: Membership = null;
  if (organizationId) {
    membership = await ctx.db.member.findUnique({
      where: { organizationId_userId: { organizationId, userId: user.id } },
      select: { organizationId: true, role: true },
    });
    if (!membership) throw new TRPCError({ code: "FORBIDDEN", message: NOT_A_MEMBER_MESSAGE });
  }
  return next({ ctx: { membership, membershipResolved: true as const } });
});

/** The caller's role in the call's organization grants `permission` (in their personal space, they may do anything). */
export function requirePermission(permission: Permission) {
  return middleware(async ({ ctx, next }) => {
    const { membership, user } = ctx as { membership?: Membership; membershipResolved?: true; user?: { id: string } };
    if (!(ctx as { membershipResolved?: true }).membershipResolved || !user) {
      throw new Error("requirePermission follows orgProcedure");
    }
    if (!membership) {
      const space: Space = { kind: "personal", where: { userId: user.id }, data: { userId: user.id } };
      return next({ ctx: { space: space as Space } });
    }
    if (!roleAllows(membership.role, permission)) {
      throw new TRPCError({ code: "FORBIDDEN", message: NOT_ALLOWED_MESSAGE });
    }
    const space: Space = {
      kind: "organization",
      organizationId: membership.organizationId,
      role: membership.role,
      where: { organizationId: membership.organizationId },
      data: { organizationId: membership.organizationId, createdById: user.id },
    };
    return next({ ctx: { space: space as Space } });
  });
}
