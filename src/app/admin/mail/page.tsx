import type { Metadata } from "next";
import { MailOutbox } from "@/components/admin/mail-outbox";
import { troubledMailInput } from "@/lib/validation/mail";
import { api, getViewer, HydrateClient, requireAdmin } from "@/trpc/server";

/** Only an admin learns the page's name: everyone else gets the 404's, not a title that says it is there. */
export async function generateMetadata(): Promise<Metadata> {
  const viewer = await getViewer();
  return { title: viewer?.role === "admin" ? "Mail" : "Page not found" };
}

export default async function AdminMailPage() {
  await requireAdmin("/admin/mail");
  await api.mail.troubled.prefetch(troubledMailInput.parse({}));
  return (
    <HydrateClient>
      <main id="main" className="mx-auto max-w-5xl space-y-6 px-4 py-8">
        <h1 className="text-2xl font-semibold tracking-tight">Mail</h1>
        <p className="text-slate-600 dark:text-slate-400">
          Every mail is queued and sent by the outbox; one the mail server refuses is tried again with growing waits,
          and given up after 8 attempts. Those listed here failed at least once.
        </p>
        <MailOutbox />
      </main>
    </HydrateClient>
  );
}
