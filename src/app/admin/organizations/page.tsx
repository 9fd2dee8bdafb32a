import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { api, getViewer, requireAdmin } from "@/trpc/server";

/** Only an admin learns the page's name: everyone else gets the 404's, not a title that says it is there. */
export async function generateMetadata(): Promise<Metadata> {
  const viewer = await getViewer();
  return { title: viewer?.role === "admin" ? "Organizations" : "Page not found" };
}

type Props = { searchParams: Promise<{ cursor?: string | string[] }> };

const PAGE_SIZE = 50;
const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

/**
 * Every organization with its owners and member count, newest first, a page at a time (organization.list). Admins see
 * who runs each one, not its tasks: those need a membership.
 */
export default async function AdminOrganizationsPage({ searchParams }: Props) {
  const { cursor: given } = await searchParams;
  const cursor = typeof given === "string" && given.length <= 200 ? given : undefined;
  await requireAdmin(cursor ? `/admin/organizations?cursor=${encodeURIComponent(cursor)}` : "/admin/organizations");
  const page = await api.organization.list({ limit: PAGE_SIZE, cursor }).catch((error: unknown) => {
    // A cursor that is not one of ours (edited, truncated): the first page instead of an error.
    if (error instanceof TRPCError && error.code === "BAD_REQUEST") redirect("/admin/organizations");
    throw error;
  });
  return (
    <main id="main" className="mx-auto max-w-5xl space-y-6 px-4 py-8">
      <h1 className="text-2xl font-semibold tracking-tight">Organizations</h1>
      <p className="text-slate-600 dark:text-slate-400">
        Every organization, newest first, with its owners. Their tasks are for their members only, admins included.
      </p>
      {page.items.length === 0 ? (
        <p>{cursor ? "No more organizations." : "No organization yet."}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 dark:border-slate-800">
              <tr>
                {["Name", "Owners", "Members", "Created"].map((column) => (
                  <th key={column} scope="col" className="py-2 pr-4 font-medium">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
              {page.items.map((organization) => (
                <tr key={organization.id} data-testid="organization">
                  <td className="py-2 pr-4">
                    {organization.name}
                    <span className="block text-xs text-slate-600 dark:text-slate-400">{organization.slug}</span>
                  </td>
                  <td className="py-2 pr-4">
                    {organization.owners.map((owner) => (
                      <span key={owner.id} className="block">
                        {owner.name} <span className="text-slate-600 dark:text-slate-400">{owner.email}</span>
                      </span>
                    ))}
                  </td>
                  <td className="py-2 pr-4">{organization.memberCount}</td>
                  <td className="py-2 whitespace-nowrap">{dateFormat.format(organization.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.nextCursor && (
        <Link href={`/admin/organizations?cursor=${encodeURIComponent(page.nextCursor)}`}>Next page</Link>
      )}
    </main>
  );
}
