import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { getViewer } from "@/trpc/server";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage() {
  if (await getViewer()) redirect("/tasks");
  return (
    <AuthShell title="Create your account" intro="We will send a link to confirm your email address.">
      <SignUpForm />
    </AuthShell>
  );
}
