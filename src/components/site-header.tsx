// The header on every page: where you are, who you are signed in as, and the way out (behind Menu below the `xl`
// breakpoint, where one row cannot hold them all).
import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { HeaderMenu } from "@/components/header-menu";
import { OrganizationSwitcher } from "@/components/organizations/organization-switcher";
import { buttonClass } from "@/components/ui/button";
import { getSpaces, getViewer } from "@/trpc/server";

const navLink =
  "whitespace-nowrap rounded-md px-2 py-1 no-underline text-sm font-medium text-slate-700 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800";

const MAIN_LINKS = [
  { href: "/tasks", label: "Tasks" },
  { href: "/settings", label: "Settings" },
];
const ADMIN_LINKS = [
  { href: "/admin/users", label: "Users" },
  { href: "/admin/mail", label: "Mail" },
  { href: "/admin/organizations", label: "Organizations" },
];

export async function SiteHeader() {
  const viewer = await getViewer();
  const spaces = viewer ? await getSpaces() : null;
  return (
    <header className="relative border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div className="mx-auto flex max-w-6xl items-center gap-x-4 gap-y-2 px-4 py-3">
        <Link
          href={viewer ? "/tasks" : "/"}
          className="text-lg font-bold tracking-tight text-slate-900 no-underline dark:text-white"
        >
          Taskforge
        </Link>
        {viewer ? (
          <HeaderMenu>
            <nav aria-label="Main" className="flex flex-col gap-1 xl:flex-row xl:items-center">
              {[...MAIN_LINKS, ...(viewer.role === "admin" ? ADMIN_LINKS : [])].map(({ href, label }) => (
                <Link key={href} href={href} className={navLink}>
                  {label}
                </Link>
              ))}
              <Link href="/org/new" className={navLink}>
                New organization
              </Link>
            </nav>
            {spaces && (
              <OrganizationSwitcher organizations={spaces.organizations} activeId={spaces.active?.id ?? null} />
            )}
            <div className="flex min-w-0 flex-wrap items-center justify-between gap-2 border-t border-slate-200 pt-3 xl:ml-auto xl:flex-nowrap xl:border-0 xl:pt-0 dark:border-slate-800">
              <span className="truncate text-sm text-slate-600 dark:text-slate-300" data-testid="signed-in-as">
                <span className="sr-only">Signed in as </span>
                {viewer.name}
                <span className="hidden 2xl:inline"> · {viewer.email}</span>
              </span>
              <SignOutButton />
            </div>
          </HeaderMenu>
        ) : (
          <nav aria-label="Account" className="ml-auto flex items-center gap-2">
            <Link href="/sign-in" className={navLink}>
              Sign in
            </Link>
            <Link href="/sign-up" className={buttonClass("primary", "min-h-9 px-3 py-1.5")}>
              Sign up
            </Link>
          </nav>
        )}
      </div>
    </header>
  );
}
