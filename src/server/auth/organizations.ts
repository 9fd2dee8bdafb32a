// Organizations (Better Auth's organization plugin): shared task lists with the roles of src/lib/permissions.ts.
// Invitations are mailed through the outbox, last 7 days, and are accepted only by a signed-in user whose confirmed
// address is the invited one. Every change of an organization, its members, roles and invitations is audited with
// who did it (actor) and whom it concerned (target). That an organization keeps an owner is held by the database
// (a trigger on members), so two owners demoting each other at once cannot both succeed.
import { tryGetCurrentAuthEndpointContext } from "@better-auth/core/context";
import { createAuthMiddleware, isAPIError } from "better-auth/api";
import { organization } from "better-auth/plugins";
import { accessControl, orgRoles } from "@/lib/permissions";
import { type AuthEventType, recordAuthEvent } from "@/server/audit";
import type { Database } from "@/server/db";
import { type Mail, messages } from "@/server/email/messages";

/** The database's refusal to leave an organization without an owner (the members_keep_an_owner trigger). */
export const LAST_OWNER_MESSAGE = "an organization keeps at least one owner";

export function isLastOwnerRefusal(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    if (cause instanceof Error && cause.message.includes(LAST_OWNER_MESSAGE)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

const LEAVE_PATH = "/organization/leave";

export const INVITATION_LIFETIME_SECONDS = 7 * 24 * 60 * 60;

/** The page an invitation's mail links to. */
export const invitationPage = (baseUrl: string, invitationId: string) =>
  `${baseUrl}/invitations/${encodeURIComponent(invitationId)}`;

/** The signed-in user of the Better Auth request being served, if any: who made the change. */
function actorId(): string | null {
  const context = tryGetCurrentAuthEndpointContext() as
    { context?: { session?: { user?: { id?: string } } | null }; headers?: Headers } | undefined;
  return context?.context?.session?.user?.id ?? null;
}

export function organizationPlugin({
  db,
  baseUrl,
  queueMail,
}: {
  db: Database;
  baseUrl: string;
  queueMail: (mail: Mail) => Promise<unknown>;
}) {
  const audit = (type: AuthEventType, target: string | null, organizationId: string, detail: Record<string, string>) =>
    recordAuthEvent(db, {
      type,
      userId: target,
      headers: tryGetCurrentAuthEndpointContext()?.headers ?? null,
      detail: { organizationId, actorId: actorId(), ...detail },
    });

  const plugin = organization({
    ac: accessControl,
    roles: orgRoles,
    creatorRole: "owner",
    allowUserToCreateOrganization: true,
    invitationExpiresIn: INVITATION_LIFETIME_SECONDS,
    cancelPendingInvitationsOnReInvite: true,
    requireEmailVerificationOnInvitation: true,
    sendInvitationEmail: async ({ email, organization, inviter, invitation, role }) => {
      await queueMail(
        messages.organizationInvitation(
          email,
          inviter.user.name,
          organization.name,
          role,
          invitationPage(baseUrl, invitation.id),
        ),
      );
    },
    organizationHooks: {
      afterCreateOrganization: ({ organization, user }) =>
        audit("organization-created", user.id, organization.id, { slug: organization.slug }),
      afterUpdateOrganization: async ({ organization, user }) => {
        if (organization) await audit("organization-updated", user.id, organization.id, { slug: organization.slug });
      },
      afterDeleteOrganization: ({ organization, user }) =>
        audit("organization-deleted", user.id, organization.id, { slug: organization.slug }),
      afterAddMember: ({ member, organization }) =>
        audit("member-added", member.userId, organization.id, { role: member.role }),
      afterRemoveMember: ({ member, organization }) =>
        audit("member-removed", member.userId, organization.id, { role: member.role }),
      afterUpdateMemberRole: ({ member, previousRole, organization }) =>
        audit("member-role-changed", member.userId, organization.id, { role: member.role, previousRole }),
      afterCreateInvitation: ({ invitation, inviter, organization }) =>
        audit("invitation-sent", inviter.id, organization.id, {
          invitationId: invitation.id,
          email: invitation.email,
          role: invitation.role,
        }),
      afterAcceptInvitation: ({ invitation, user, organization }) =>
        audit("invitation-accepted", user.id, organization.id, { invitationId: invitation.id, role: invitation.role }),
      afterRejectInvitation: ({ invitation, user, organization }) =>
        audit("invitation-declined", user.id, organization.id, { invitationId: invitation.id }),
      afterCancelInvitation: ({ invitation, cancelledBy, organization }) =>
        audit("invitation-cancelled", cancelledBy.id, organization.id, {
          invitationId: invitation.id,
          email: invitation.email,
        }),
    },
  });
  // Leaving calls none of the hooks above: audited here, as the member's own removal.
  const leaving = {
    matcher: (ctx: { path?: string }) => ctx.path === LEAVE_PATH,
    handler: createAuthMiddleware(async (ctx) => {
      const left = ctx.context.returned as { userId?: string; organizationId?: string; role?: string } | undefined;
      if (isAPIError(left) || !left?.userId || !left.organizationId) return;
      // The member left: they are the actor too.
      await audit("member-removed", left.userId, left.organizationId, {
        actorId: left.userId,
        role: left.role ?? "",
        left: "true",
      });
    }),
  };
  // The plugin has no hooks of its own; its type (which the client's inference reads) is kept.
  return Object.assign(plugin, { hooks: { after: [leaving] } });
}
