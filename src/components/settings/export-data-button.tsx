"use client";
// "Download my data": everything the account holds (account.export), saved by the browser as one JSON file, or as
// one CSV file for a spreadsheet.
import { useState } from "react";
import type { FormMessage } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { accountExportCsv } from "@/lib/account-export-csv";
import { api, errorCode, type RouterOutputs } from "@/trpc/react";

type AccountExport = RouterOutputs["account"]["export"];

const FORMATS = {
  json: {
    label: "Download my data",
    type: "application/json",
    write: (data: AccountExport) => JSON.stringify(data, null, 2),
  },
  csv: { label: "Download as CSV", type: "text/csv", write: accountExportCsv },
} as const;
type Format = keyof typeof FORMATS;

/** Hands the document to the browser as a download named after its date; returns the file name. */
function saveAsFile(data: AccountExport, format: Format): string {
  const fileName = `taskforge-export-${data.exportedAt.toISOString().slice(0, 10)}.${format}`;
  const { type, write } = FORMATS[format];
  const url = URL.createObjectURL(new Blob([write(data)], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked once the click has been handled, so the copy does not stay in the page's memory.
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return fileName;
}

export function ExportDataButton() {
  const utils = api.useUtils();
  // A mutation: each export is recorded in the account's activity, and nothing is kept in the query cache.
  const exportData = api.account.export.useMutation();
  const [pending, setPending] = useState<Format | null>(null);
  const [message, setMessage] = useState<FormMessage>(null);

  async function download(format: Format) {
    setPending(format);
    setMessage(null);
    try {
      const data = await exportData.mutateAsync();
      setMessage({ tone: "success", text: `Your data is saved as ${saveAsFile(data, format)}.` });
      await utils.user.authEvents.invalidate();
    } catch (error) {
      const reason =
        errorCode(error) && error instanceof Error
          ? error.message
          : "We could not reach the server. Check your connection.";
      setMessage({ tone: "error", text: `Your data could not be downloaded. ${reason}` });
    } finally {
      setPending(null);
    }
  }

  return (
    <div className="space-y-3">
      <h3 className="font-medium">Download my data</h3>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Your profile, tasks, sessions and account activity as one JSON file, or as one CSV file for a spreadsheet (a
        table for each). Passwords and session keys are never included.
      </p>
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      <div className="flex flex-wrap gap-2">
        {(["json", "csv"] as const).map((format) => (
          <Button
            key={format}
            variant="secondary"
            pending={pending === format}
            disabled={pending !== null}
            onClick={() => download(format)}
          >
            {pending === format ? "Preparing your data…" : FORMATS[format].label}
          </Button>
        ))}
      </div>
    </div>
  );
}
