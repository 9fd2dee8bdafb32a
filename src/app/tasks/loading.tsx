// Shown while the tasks page is rendered on the server: the page's outline, with grey bars for the rows.
export default function TasksLoading() {
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 py-8" aria-busy="true">
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold tracking-tight">Your tasks</h1>
        <div className="h-20 rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900" />
        <p role="status" className="sr-only">
          Loading your tasks…
        </p>
        <ul
          aria-hidden="true"
          className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
        >
          {[0, 1, 2, 3].map((row) => (
            <li key={row} className="flex items-start gap-3 p-4">
              <span className="mt-1 size-5 shrink-0 rounded bg-slate-200 motion-safe:animate-pulse dark:bg-slate-800" />
              <span className="flex-1 space-y-2">
                <span className="block h-4 w-2/3 rounded bg-slate-200 motion-safe:animate-pulse dark:bg-slate-800" />
                <span className="block h-3 w-24 rounded bg-slate-100 motion-safe:animate-pulse dark:bg-slate-800/60" />
              </span>
            </li>
          ))}
        </ul>
      </div>
    </main>
  );
}
