"use client";
// Accepting or declining an invitation. Nothing happens on opening the link: the person presses a button.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { FormMessageNotice } from "@/components/forms/form-message";
import { useFormState } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { authClient, authErrorMessage } from "@/lib/auth-client";

type Invitation = { organizationName: string; role: string; inviterEmail: string };

export function InvitationResponse({ invitationId }: { invitationId: string }) {
  const form = useFormState();
  const router = useRouter();
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  const [unavailable, setUnavailable] = useState(false);

  useEffect(() => {
    void authClient.organization.getInvitation({ query: { id: invitationId } }).then(({ data }) => {
      if (data) setInvitation(data as Invitation);
      else setUnavailable(true);
    });
  }, [invitationId]);

  function respond(accept: boolean) {
    void form.run(async () => {
      const { error } = accept
        ? await authClient.organization.acceptInvitation({ invitationId })
        : await authClient.organization.rejectInvitation({ invitationId });
      if (error) {
        form.setMessage({ tone: "error", text: authErrorMessage(error) });
        return;
      }
      if (accept) router.push("/tasks");
      else form.setMessage({ tone: "success", text: "Invitation declined." });
    });
  }

  if (unavailable) {
    return (
      <p role="alert">
        This invitation is not for the address you are signed in with, or it has expired, been revoked or already been
        answered.
      </p>
    );
  }
  return (
    <div className="space-y-4">
      <FormMessageNotice message={form.message} />
      <p aria-live="polite">
        {invitation
          ? `${invitation.inviterEmail} invites you to ${invitation.organizationName} as ${invitation.role}.`
          : "Loading the invitation…"}
      </p>
      <div className="flex gap-2">
        <Button type="button" pending={form.pending} disabled={!invitation} onClick={() => respond(true)}>
          Accept
        </Button>
        <Button type="button" variant="secondary" disabled={!invitation || form.pending} onClick={() => respond(false)}>
          Decline
        </Button>
      </div>
    </div>
  );
}
