import type { Metadata } from "next";
import { AuthShell } from "@/components/auth/auth-shell";
import { NewOrganizationForm } from "@/components/organizations/new-organization-form";
import { requireUser } from "@/trpc/server";

export const metadata: Metadata = { title: "New organization" };

export default async function NewOrganizationPage() {
  await requireUser("/org/new");
  return (
    <AuthShell title="New organization" intro="A shared task list. You will be its owner and can invite others.">
      <NewOrganizationForm />
    </AuthShell>
  );
}
