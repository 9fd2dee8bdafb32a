"use client";
// The space the tasks page shows: the personal one first, then each organization the user belongs to. Choosing one
// makes it the session's active organization (Better Auth), which task procedures use when a call names none. The
// auth client is downloaded when the space changes, not with every page that has the header.
import { useRouter } from "next/navigation";
import { useId, useState } from "react";

type Props = { organizations: { id: string; name: string }[]; activeId: string | null };

export function OrganizationSwitcher({ organizations, activeId }: Props) {
  const router = useRouter();
  const id = useId();
  const [pending, setPending] = useState(false);
  return (
    <div className="flex items-center gap-2 text-sm">
      <label htmlFor={id} className="text-slate-600 dark:text-slate-300">
        Space
      </label>
      <select
        id={id}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
        value={activeId ?? ""}
        disabled={pending}
        data-testid="space-switcher"
        onChange={(event) => {
          setPending(true);
          const organizationId = event.target.value || null;
          void import("@/lib/auth-client")
            .then(({ authClient }) => authClient.organization.setActive({ organizationId }))
            .then(() => {
              router.push("/tasks");
              router.refresh();
            })
            .finally(() => setPending(false));
        }}
      >
        <option value="">Personal</option>
        {organizations.map((organization) => (
          <option key={organization.id} value={organization.id}>
            {organization.name}
          </option>
        ))}
      </select>
    </div>
  );
}
