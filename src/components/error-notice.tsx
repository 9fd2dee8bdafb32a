// What a page that failed to render shows: no details of the failure, only the reference the server logged it under.
import { Button } from "@/components/ui/button";

export function errorReference(error: unknown): string | undefined {
  return error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : undefined;
}

export function ErrorNotice({ error, retry }: { error: unknown; retry: () => void }) {
  const reference = errorReference(error);
  return (
    <main id="main" className="mx-auto w-full max-w-md px-4 py-10 sm:py-16">
      <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm sm:p-8 dark:border-slate-800 dark:bg-slate-900">
        <h1 className="text-2xl font-semibold tracking-tight">Something went wrong</h1>
        <p className="mt-2 text-slate-600 dark:text-slate-400">
          This page could not be shown. It may work if you try again; if it keeps failing, tell us the reference below.
        </p>
        {reference && (
          <p className="mt-4 text-sm">
            Reference:{" "}
            <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono break-all dark:bg-slate-800">
              {reference}
            </code>
          </p>
        )}
        <div className="mt-6 flex flex-wrap items-center gap-3">
          <Button onClick={retry}>Try again</Button>
          {/* A plain link: a full load of a page that works, whatever state this one is in. */}
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
          <a href="/">Go to the home page</a>
        </div>
      </div>
    </main>
  );
}
