import type { Metadata } from "next";
import { AuthShell } from "@/components/auth/auth-shell";
import { InvitationResponse } from "@/components/organizations/invitation-response";
import { requireUser } from "@/trpc/server";

export const metadata: Metadata = { title: "Invitation" };

type Props = { params: Promise<{ id: string }> };

/** Where an invitation's mail leads: sign in (with the invited address) first, then accept or decline. */
export default async function InvitationPage({ params }: Props) {
  const { id } = await params;
  const viewer = await requireUser(`/invitations/${encodeURIComponent(id)}`);
  return (
    <AuthShell
      title="Invitation to an organization"
      intro={`Signed in as ${viewer.email}. Only the invited address can accept, once it is confirmed.`}
    >
      <InvitationResponse invitationId={id} />
    </AuthShell>
  );
}
