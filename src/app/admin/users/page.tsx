import type { Metadata } from "next";
import { userListHref, userListInput } from "@/components/admin/user-list-input";
import { UsersAdmin } from "@/components/admin/users-admin";
import { api, getViewer, HydrateClient, requireAdmin } from "@/trpc/server";

/** Only an admin learns the page's name: everyone else gets the 404's, not a title that says it is there. */
export async function generateMetadata(): Promise<Metadata> {
  const viewer = await getViewer();
  return { title: viewer?.role === "admin" ? "Users" : "Page not found" };
}

type Props = { searchParams: Promise<{ q?: string | string[]; banned?: string | string[] }> };

export default async function AdminUsersPage({ searchParams }: Props) {
  const params = await searchParams;
  // A repeated ?q= is an array: searched as no search.
  const view = { search: typeof params.q === "string" ? params.q : "", banned: params.banned === "1" };
  const viewer = await requireAdmin(userListHref(view));
  await api.user.list.prefetchInfinite(userListInput(view));
  return (
    <HydrateClient>
      <main id="main" className="mx-auto max-w-5xl space-y-6 px-4 py-8">
        <h1 className="text-2xl font-semibold tracking-tight">Users</h1>
        <UsersAdmin view={view} viewerId={viewer.id} />
      </main>
    </HydrateClient>
  );
}
