"use client";
// An organization's own settings on its members page: rename it (owner, admin), hand ownership to another member
// (owner: they become an owner, then the viewer an admin), and delete it with its tasks (owner; the name typed to
// confirm, and a recent sign-in, asked for by the confirm-it-is-you prompt). Offered only as the one table allows
// (src/lib/permissions.ts); the server checks again, and keeps at least one owner whatever the order of calls.
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { FormMessageNotice } from "@/components/forms/form-message";
import { useAuthAction } from "@/components/settings/use-auth-action";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { roleAllows } from "@/lib/permissions";

type Member = { id: string; role: string; userId: string; user: { name: string; email: string } };

type Props = {
  organization: { id: string; name: string };
  members: Member[];
  viewerId: string;
  /** Reads the organization again after a change. */
  reload: () => Promise<unknown>;
};

export function OrganizationSettings({ organization, members, viewerId, reload }: Props) {
  const router = useRouter();
  const { form, prompt, act } = useAuthAction();
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const me = members.find((member) => member.userId === viewerId);
  const myRole = me?.role ?? "";
  const others = members.filter((member) => member.userId !== viewerId);
  const may = {
    rename: roleAllows(myRole, { organization: ["update"] }),
    remove: roleAllows(myRole, { organization: ["delete"] }),
    // Only an owner may make an owner (Better Auth's rule too).
    transfer: myRole.split(",").includes("owner") && others.length > 0,
  };
  if (!may.rename && !may.remove && !may.transfer) return null;

  const value = (event: FormEvent<HTMLFormElement>, name: string) =>
    String(new FormData(event.currentTarget).get(name) ?? "").trim();

  function rename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = value(event, "name");
    if (!name) return form.setMessage({ tone: "error", text: "Enter a name." });
    act(
      (client) => client.organization.update({ organizationId: organization.id, data: { name } }),
      `Renamed to ${name}.`,
      () => void reload(),
    );
  }

  function transfer(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const successor = others.find((member) => member.id === value(event, "successor"));
    if (!successor || !me) return;
    act(
      async (client) => {
        const promoted = await client.organization.updateMemberRole({
          organizationId: organization.id,
          memberId: successor.id,
          role: "owner",
        });
        if (promoted.error) return promoted;
        return client.organization.updateMemberRole({
          organizationId: organization.id,
          memberId: me.id,
          role: "admin",
        });
      },
      `${successor.user.name} is now the owner; you are an admin.`,
      () => void reload(),
    );
  }

  function remove(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (value(event, "confirm") !== organization.name)
      return form.setMessage({ tone: "error", text: `Type ${organization.name} to confirm.` });
    act(
      (client) => client.organization.delete({ organizationId: organization.id }),
      undefined,
      () => {
        router.push("/tasks");
        router.refresh();
      },
    );
  }

  return (
    <section aria-labelledby="organization-settings-heading" className="space-y-6">
      <h2 id="organization-settings-heading" className="text-lg font-semibold">
        Organization
      </h2>
      <FormMessageNotice message={form.message} />
      {may.rename && (
        <form noValidate onSubmit={rename} aria-label="Rename" className="flex flex-wrap items-end gap-2">
          <TextField
            label="Organization name"
            name="name"
            defaultValue={organization.name}
            maxLength={100}
            required
            className="min-w-60"
          />
          <Button type="submit" variant="secondary" pending={form.pending}>
            Rename
          </Button>
        </form>
      )}
      {may.transfer && (
        <form noValidate onSubmit={transfer} aria-label="Transfer ownership" className="flex flex-wrap items-end gap-2">
          <SelectField label="New owner" name="successor" hint="They become an owner; you stay on as an admin.">
            {others.map((member) => (
              <option key={member.id} value={member.id}>
                {member.user.name} ({member.user.email})
              </option>
            ))}
          </SelectField>
          <Button type="submit" variant="secondary" pending={form.pending}>
            Transfer ownership
          </Button>
        </form>
      )}
      {may.remove &&
        (confirmingDelete ? (
          <form noValidate onSubmit={remove} aria-label="Delete organization" className="space-y-3">
            <TextField
              label={`Type ${organization.name} to delete it`}
              name="confirm"
              hint="Its tasks, members and invitations are deleted with it, for everyone. This cannot be undone."
              autoComplete="off"
              required
            />
            <div className="flex flex-wrap gap-2">
              <Button type="submit" variant="danger" pending={form.pending}>
                Delete organization and its tasks
              </Button>
              <Button type="button" variant="secondary" onClick={() => setConfirmingDelete(false)}>
                Cancel
              </Button>
            </div>
          </form>
        ) : (
          <Button variant="danger" onClick={() => setConfirmingDelete(true)}>
            Delete organization…
          </Button>
        ))}
      {prompt}
    </section>
  );
}
