import Link from "next/link";
import { redirect } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { landingNotice } from "@/lib/page-notices";
import { getViewer } from "@/trpc/server";

const BENEFITS = [
  ["See what is due first", "Overdue tasks stand out in red, with how late they are."],
  ["Change your mind", "Edit anything, tick it off, or undo a delete within seconds."],
  ["On every screen", "The same list on your phone and your desk, usable by keyboard alone."],
] as const;

const SECURITY = [
  ["Verified accounts", "Every account confirms its email before the first sign-in."],
  ["Strong passwords", "Checked live as you type, stored with argon2id."],
  ["Your sessions, your call", "See every device signed in and sign any of them out."],
] as const;

/** A picture of the task list, drawn with the list's own look (not the live list: nobody is signed in here). */
const SAMPLE_TASKS = [
  { title: "Pay the electricity bill", meta: "Overdue · due 2 days ago", priority: "high", overdue: true, done: false },
  { title: "Book the venue for the team day", meta: "due tomorrow", priority: "medium", overdue: false, done: false },
  { title: "Send the quarterly report", meta: "due in 5 days", priority: "high", overdue: false, done: false },
  { title: "Renew the passport", meta: "", priority: "low", overdue: false, done: true },
] as const;

const PRIORITY_STYLE = {
  high: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200",
  medium: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  low: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
} as const;

function TaskListPicture() {
  return (
    <figure className="rounded-xl border border-slate-200 bg-slate-50 p-3 shadow-lg sm:p-4 dark:border-slate-800 dark:bg-slate-950">
      <div className="mb-3 flex items-baseline justify-between px-1">
        <p className="font-semibold">Your tasks</p>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          3 open · 1 done <span className="font-semibold text-red-700 dark:text-red-400">· 1 overdue</span>
        </p>
      </div>
      <ul
        aria-label="An example task list"
        className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
      >
        {SAMPLE_TASKS.map((task) => (
          <li key={task.title} className="flex items-start gap-3 p-3">
            <span
              aria-hidden="true"
              className={`mt-0.5 size-4 shrink-0 rounded border ${task.done ? "border-indigo-600 bg-indigo-600" : "border-slate-400 dark:border-slate-500"}`}
            />
            <div className="min-w-0">
              <p
                className={`text-sm font-medium ${task.done ? "text-slate-500 line-through dark:text-slate-400" : ""}`}
              >
                {task.title}
                {task.done && <span className="sr-only"> (done)</span>}
              </p>
              <p className="mt-1 flex flex-wrap items-center gap-2 text-xs">
                <span className={`rounded-full px-2 py-0.5 font-medium ${PRIORITY_STYLE[task.priority]}`}>
                  {task.priority} priority
                </span>
                {task.meta && (
                  <span
                    className={
                      task.overdue
                        ? "font-semibold text-red-700 dark:text-red-400"
                        : "text-slate-600 dark:text-slate-400"
                    }
                  >
                    {task.meta}
                  </span>
                )}
              </p>
            </div>
          </li>
        ))}
      </ul>
      <figcaption className="mt-3 px-1 text-xs text-slate-600 dark:text-slate-400">
        Your list: what is late at a glance, priorities in colour.
      </figcaption>
    </figure>
  );
}

type Props = { searchParams: Promise<{ reason?: string | string[] }> };

export default async function LandingPage({ searchParams }: Props) {
  if (await getViewer()) redirect("/tasks");
  const { reason } = await searchParams;
  const notice = landingNotice(reason);
  return (
    <main id="main" className="mx-auto max-w-5xl px-4 py-10 sm:py-16">
      {notice && (
        <div className="mb-8 max-w-2xl">
          <Notice tone="success">{notice}</Notice>
        </div>
      )}
      <div className="grid items-center gap-10 lg:grid-cols-[1fr_28rem]">
        <div>
          <h1 className="text-4xl font-bold tracking-tight sm:text-5xl">Know what to do next.</h1>
          <p className="mt-4 max-w-xl text-lg text-slate-700 dark:text-slate-300">
            Taskforge keeps your tasks in one list, with due dates and priorities, so nothing late slips past you.
          </p>
          <div className="mt-8 flex flex-wrap gap-3">
            <Link href="/sign-up" className={buttonClass("primary")}>
              Create a free account
            </Link>
            <Link href="/sign-in" className={buttonClass("secondary")}>
              Sign in
            </Link>
          </div>
          <ul className="mt-8 space-y-3">
            {BENEFITS.map(([title, text]) => (
              <li key={title}>
                <p className="font-semibold">{title}</p>
                <p className="text-sm text-slate-600 dark:text-slate-400">{text}</p>
              </li>
            ))}
          </ul>
        </div>
        <TaskListPicture />
      </div>

      <section aria-labelledby="security-heading" className="mt-16">
        <h2 id="security-heading" className="text-xl font-semibold tracking-tight">
          Your account, kept safe
        </h2>
        <ul className="mt-4 grid gap-4 sm:grid-cols-3">
          {SECURITY.map(([title, text]) => (
            <li
              key={title}
              className="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900"
            >
              <h3 className="font-semibold">{title}</h3>
              <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{text}</p>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
