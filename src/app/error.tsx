"use client";
// A page that threw while rendering: the header stays, the page is replaced by a way to try again.
import { ErrorNotice } from "@/components/error-notice";

export default function PageError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorNotice error={error} retry={retry} />;
}
