// A filter of a list as a link (the view is in the URL), marked as the current page when it is the one shown.
import Link from "next/link";
import type { ReactNode } from "react";

export function FilterLink({ href, current, children }: { href: string; current: boolean; children: ReactNode }) {
  return (
    <Link
      href={href}
      scroll={false}
      aria-current={current ? "page" : undefined}
      className="rounded-full px-3 py-1 text-sm font-medium text-slate-700 no-underline hover:bg-slate-200 aria-[current=page]:bg-indigo-600 aria-[current=page]:text-white dark:text-slate-200 dark:hover:bg-slate-800 dark:aria-[current=page]:bg-indigo-400 dark:aria-[current=page]:text-slate-950"
    >
      {children}
    </Link>
  );
}
