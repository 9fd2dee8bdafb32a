"use client";
// Creating an organization: its creator becomes its owner, and it becomes the active space.
import { useRouter } from "next/navigation";
import { type FormEvent, useId } from "react";
import { FormMessageNotice } from "@/components/forms/form-message";
import { useFormState } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { authClient, authErrorMessage } from "@/lib/auth-client";

/** A slug from a name: lower-case letters, digits and dashes. */
const slugOf = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);

export function NewOrganizationForm() {
  const form = useFormState();
  const router = useRouter();
  const nameId = useId();
  const slugId = useId();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = String(data.get("name") ?? "").trim();
    const slug = slugOf(String(data.get("slug") ?? "") || name);
    if (!name || !slug) {
      form.setMessage({ tone: "error", text: "Give the organization a name." });
      return;
    }
    void form.run(async () => {
      const { error } = await authClient.organization.create({ name, slug });
      if (error) {
        form.setMessage({ tone: "error", text: authErrorMessage(error) });
        return;
      }
      router.push("/tasks");
      router.refresh();
    });
  }

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4">
      <FormMessageNotice message={form.message} />
      <div className="space-y-1">
        <label htmlFor={nameId} className="block text-sm font-medium">
          Name
        </label>
        <input id={nameId} name="name" required maxLength={100} className="w-full rounded-md border px-3 py-2" />
      </div>
      <div className="space-y-1">
        <label htmlFor={slugId} className="block text-sm font-medium">
          Short name in addresses (optional)
        </label>
        <input id={slugId} name="slug" maxLength={48} className="w-full rounded-md border px-3 py-2" />
      </div>
      <Button type="submit" className="w-full" pending={form.pending}>
        Create organization
      </Button>
    </form>
  );
}
