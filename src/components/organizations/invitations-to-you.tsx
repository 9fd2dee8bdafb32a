// Invitations waiting for the signed-in person (organization.invitations), above their tasks: each links to its page,
// where it is accepted or declined. Nothing when there are none.
import Link from "next/link";

type Invitation = {
  id: string;
  role: string | null;
  organization: { name: string };
  inviter: { name: string };
};

export function InvitationsToYou({ invitations }: { invitations: Invitation[] }) {
  if (invitations.length === 0) return null;
  return (
    <section
      aria-labelledby="invitations-to-you-heading"
      className="mb-6 rounded-lg border border-indigo-200 bg-indigo-50 p-4 dark:border-indigo-900 dark:bg-indigo-950"
    >
      <h2 id="invitations-to-you-heading" className="text-base font-semibold">
        Invitations to you
      </h2>
      <ul className="mt-2 space-y-1 text-sm">
        {invitations.map((invitation) => (
          <li key={invitation.id}>
            <Link href={`/invitations/${encodeURIComponent(invitation.id)}`}>
              Join {invitation.organization.name} as {invitation.role ?? "member"}
            </Link>{" "}
            <span className="text-slate-600 dark:text-slate-300">(from {invitation.inviter.name})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
