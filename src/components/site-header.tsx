// The header on every page: where you are, who you are signed in as, and the way out.
import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { buttonClass } from "@/components/ui/button";
import { getViewer } from "@/trpc/server";

const navLink =
  "rounded-md px-2 py-1 no-underline text-sm font-medium text-slate-700 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800";

const MAIN_LINKS = [
  { href: "/tasks", label: "Tasks" },
  { href: "/settings", label: "Settings" },
];
const ADMIN_LINKS = [
  { href: "/admin/users", label: "Users" },
  { href: "/admin/mail", label: "Mail" },
];

export async function SiteHeader() {
  const viewer = await getViewer();
  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <Link
          href={viewer ? "/tasks" : "/"}
          className="text-lg font-bold tracking-tight text-slate-900 no-underline dark:text-white"
        >
          Taskforge
        </Link>
        {viewer ? (
          <>
            <nav aria-label="Main" className="flex items-center gap-1">
              {[...MAIN_LINKS, ...(viewer.role === "admin" ? ADMIN_LINKS : [])].map(({ href, label }) => (
                <Link key={href} href={href} className={navLink}>
                  {label}
                </Link>
              ))}
            </nav>
            <div className="ml-auto flex min-w-0 items-center gap-2">
              <span className="truncate text-sm text-slate-600 dark:text-slate-300" data-testid="signed-in-as">
                <span className="sr-only">Signed in as </span>
                {viewer.name}
                <span className="hidden sm:inline"> · {viewer.email}</span>
              </span>
              <SignOutButton />
            </div>
          </>
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
