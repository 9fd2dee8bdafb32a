"use client";
// The root layout itself failed (the header reads the session): this replaces the whole document.
import { ErrorNotice } from "@/components/error-notice";
import "./globals.css";

export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body>
        <title>Something went wrong · Taskforge</title>
        <ErrorNotice error={error} retry={retry} />
      </body>
    </html>
  );
}
