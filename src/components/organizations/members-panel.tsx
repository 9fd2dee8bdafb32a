"use client";
// An organization's members, their roles and its pending invitations; inviting (and sending again, which also renews
// the 7 days), re-roling, removing and leaving; then
// the organization's own settings (organization-settings.tsx).
// Controls are offered only when the viewer's role allows them (the one table, src/lib/permissions.ts); the server
// checks the same table again.
import { useRouter } from "next/navigation";
import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { FormMessageNotice } from "@/components/forms/form-message";
import { useFormState } from "@/components/forms/use-form-state";
import { OrganizationSettings } from "@/components/organizations/organization-settings";
import { Button } from "@/components/ui/button";
import { authClient, authErrorMessage } from "@/lib/auth-client";
import { ORG_ROLES, roleAllows } from "@/lib/permissions";

type Member = { id: string; role: string; userId: string; user: { name: string; email: string } };
type Invitation = { id: string; email: string; role: string | null; status: string; expiresAt: Date | string };
type Organization = { id: string; name: string; members: Member[]; invitations: Invitation[] };

export function MembersPanel({ slug, viewerId }: { slug: string; viewerId: string }) {
  const form = useFormState();
  const router = useRouter();
  const emailId = useId();
  const roleId = useId();
  const [organization, setOrganization] = useState<Organization | null>(null);
  const [missing, setMissing] = useState(false);

  const load = useCallback(
    () =>
      authClient.organization.getFullOrganization({ query: { organizationSlug: slug } }).then(({ data }) => {
        if (data) setOrganization(data as unknown as Organization);
        else setMissing(true);
      }),
    [slug],
  );

  useEffect(() => {
    void load();
  }, [load]);

  if (missing) return <p role="alert">No such organization, or you are not a member of it.</p>;
  if (!organization) return <p aria-live="polite">Loading members…</p>;

  const myRole = organization.members.find((member) => member.userId === viewerId)?.role ?? "";
  const may = {
    invite: roleAllows(myRole, { invitation: ["create"] }),
    revoke: roleAllows(myRole, { invitation: ["cancel"] }),
    setRole: roleAllows(myRole, { member: ["update"] }),
    remove: roleAllows(myRole, { member: ["delete"] }),
  };

  const act = (call: () => Promise<{ error: { status: number; message?: string } | null }>, done?: () => void) =>
    void form.run(async () => {
      const { error } = await call();
      if (error) form.setMessage({ tone: "error", text: authErrorMessage(error) });
      else if (done) done();
      else await load();
    });

  function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const email = String(data.get("email") ?? "").trim();
    const role = String(data.get("role") ?? "member") as (typeof ORG_ROLES)[number];
    act(() => authClient.organization.inviteMember({ organizationId: organization!.id, email, role }));
  }

  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-bold">{organization.name}: members</h1>
      <FormMessageNotice message={form.message} />
      <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Members">
        {organization.members.map((member) => (
          <li key={member.id} className="flex flex-wrap items-center gap-3 py-3" data-testid="member">
            <span className="min-w-0 flex-1">
              {member.user.name} <span className="text-sm text-slate-600 dark:text-slate-400">{member.user.email}</span>
            </span>
            {may.setRole && member.userId !== viewerId ? (
              <select
                aria-label={`Role of ${member.user.email}`}
                value={member.role}
                className="rounded-md border px-2 py-1"
                onChange={(event) =>
                  act(() =>
                    authClient.organization.updateMemberRole({
                      organizationId: organization.id,
                      memberId: member.id,
                      role: event.target.value as (typeof ORG_ROLES)[number],
                    }),
                  )
                }
              >
                {ORG_ROLES.map((role) => (
                  <option key={role}>{role}</option>
                ))}
              </select>
            ) : (
              <span className="text-sm">{member.role}</span>
            )}
            {member.userId === viewerId ? (
              <Button
                variant="secondary"
                onClick={() =>
                  act(
                    () => authClient.organization.leave({ organizationId: organization.id }),
                    () => {
                      router.push("/tasks");
                      router.refresh();
                    },
                  )
                }
              >
                Leave
              </Button>
            ) : (
              may.remove && (
                <Button
                  variant="ghost"
                  onClick={() =>
                    act(() =>
                      authClient.organization.removeMember({
                        organizationId: organization.id,
                        memberIdOrEmail: member.id,
                      }),
                    )
                  }
                >
                  Remove<span className="sr-only"> {member.user.email}</span>
                </Button>
              )
            )}
          </li>
        ))}
      </ul>
      <section aria-labelledby="invitations-heading" className="space-y-3">
        <h2 id="invitations-heading" className="text-lg font-semibold">
          Invitations
        </h2>
        <ul aria-label="Pending invitations">
          {organization.invitations
            .filter((invitation) => invitation.status === "pending")
            .map((invitation) => (
              <li key={invitation.id} className="flex items-center gap-3 py-2">
                <span className="flex-1">
                  {invitation.email} as {invitation.role ?? "member"}
                </span>
                {may.invite && (
                  <Button
                    variant="ghost"
                    onClick={() =>
                      act(
                        () =>
                          authClient.organization.inviteMember({
                            organizationId: organization.id,
                            email: invitation.email,
                            role: (invitation.role ?? "member") as (typeof ORG_ROLES)[number],
                            resend: true,
                          }),
                        () => form.setMessage({ tone: "success", text: `Sent again to ${invitation.email}.` }),
                      )
                    }
                  >
                    Send again<span className="sr-only"> to {invitation.email}</span>
                  </Button>
                )}
                {may.revoke && (
                  <Button
                    variant="ghost"
                    onClick={() => act(() => authClient.organization.cancelInvitation({ invitationId: invitation.id }))}
                  >
                    Revoke<span className="sr-only"> the invitation of {invitation.email}</span>
                  </Button>
                )}
              </li>
            ))}
        </ul>
        {may.invite && (
          <form noValidate onSubmit={invite} className="flex flex-wrap items-end gap-2">
            <div className="flex flex-col">
              <label htmlFor={emailId} className="text-sm font-medium">
                Email address
              </label>
              <input id={emailId} name="email" type="email" required className="rounded-md border px-3 py-2" />
            </div>
            <div className="flex flex-col">
              <label htmlFor={roleId} className="text-sm font-medium">
                Role
              </label>
              <select id={roleId} name="role" defaultValue="member" className="rounded-md border px-2 py-2">
                {ORG_ROLES.map((role) => (
                  <option key={role}>{role}</option>
                ))}
              </select>
            </div>
            <Button type="submit" pending={form.pending}>
              Invite
            </Button>
          </form>
        )}
      </section>
      <OrganizationSettings
        organization={organization}
        members={organization.members}
        viewerId={viewerId}
        reload={load}
      />
    </div>
  );
}
