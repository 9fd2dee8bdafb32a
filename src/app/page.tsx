import Link from "next/link";
import { redirect } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { landingNotice } from "@/lib/page-notices";
import { getViewer } from "@/trpc/server";

const FEATURES = [
  ["Verified accounts", "Every account confirms its email before the first sign-in."],
  ["Strong passwords", "Checked live as you type, stored with argon2id."],
  ["Your sessions, your call", "See every device signed in and sign any of them out."],
] as const;

type Props = { searchParams: Promise<{ reason?: string | string[] }> };

export default async function LandingPage({ searchParams }: Props) {
  if (await getViewer()) redirect("/tasks");
  const { reason } = await searchParams;
  const notice = landingNotice(reason);
  return (
    <main id="main" className="mx-auto max-w-5xl px-4 py-12 sm:py-20">
      {notice && (
        <div className="mb-8 max-w-2xl">
          <Notice tone="success">{notice}</Notice>
        </div>
      )}
      <h1 className="max-w-2xl text-4xl font-bold tracking-tight sm:text-5xl">Taskforge</h1>
      <p className="mt-4 max-w-2xl text-lg text-slate-700 dark:text-slate-300">
        Keep track of what needs doing, behind authentication done right: verified email, strong passwords and sessions
        you control.
      </p>
      <div className="mt-8 flex flex-wrap gap-3">
        <Link href="/sign-up" className={buttonClass("primary")}>
          Create a free account
        </Link>
        <Link href="/sign-in" className={buttonClass("secondary")}>
          Sign in
        </Link>
      </div>
      <ul className="mt-14 grid gap-4 sm:grid-cols-3">
        {FEATURES.map(([title, text]) => (
          <li
            key={title}
            className="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900"
          >
            <h2 className="font-semibold">{title}</h2>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{text}</p>
          </li>
        ))}
      </ul>
    </main>
  );
}
