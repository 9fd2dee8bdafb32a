import Link from "next/link";

export default function NotFound() {
  return (
    <main id="main" className="mx-auto max-w-md px-4 py-16 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-400">There is nothing here, or it is not for you.</p>
      <p className="mt-6">
        <Link href="/">Go to the home page</Link>
      </p>
    </main>
  );
}
