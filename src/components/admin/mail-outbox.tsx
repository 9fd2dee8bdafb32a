"use client";
// Mail that needs attention: given up (with a way to send it again) or waiting for its next attempt.
import { useState } from "react";
import { describeFailure } from "@/components/forms/form-validation";
import type { FormMessage } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { RelativeTime } from "@/components/ui/relative-time";
import { troubledMailInput } from "@/lib/validation/mail";
import { api } from "@/trpc/react";

export function MailOutbox() {
  const input = troubledMailInput.parse({});
  const mails = api.mail.troubled.useQuery(input);
  const utils = api.useUtils();
  const [message, setMessage] = useState<FormMessage>(null);
  const retry = api.mail.retry.useMutation({
    onMutate: () => setMessage(null),
    onSuccess: () => setMessage({ tone: "success", text: "The mail is queued again." }),
    onError: (error) => setMessage({ tone: "error", text: describeFailure(error).message }),
    onSettled: () => utils.mail.troubled.invalidate(),
  });

  return (
    <div className="space-y-4">
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      {mails.isError && <Notice tone="error">The outbox could not be read. {mails.error.message}</Notice>}
      {mails.data?.length === 0 && (
        <p className="text-slate-600 dark:text-slate-400">No mail has failed: everything queued was sent.</p>
      )}
      {mails.data && mails.data.length > 0 && (
        <ul
          aria-label="Mail that failed"
          className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
        >
          {mails.data.map((mail) => (
            <li key={mail.id} className="flex flex-wrap items-start gap-x-4 gap-y-2 px-4 py-3">
              <div className="min-w-0 flex-1 space-y-1">
                <p className="truncate font-medium">{mail.recipient}</p>
                <p className="text-sm text-slate-600 dark:text-slate-400">
                  {mail.template} · {mail.attempts} {mail.attempts === 1 ? "attempt" : "attempts"} · queued{" "}
                  <RelativeTime date={mail.createdAt} />
                </p>
                {mail.lastError && (
                  <p className="text-sm break-words text-red-800 dark:text-red-300">Last error: {mail.lastError}</p>
                )}
              </div>
              {mail.status === "failed" ? (
                <Button
                  variant="secondary"
                  disabled={retry.isPending}
                  onClick={() => retry.mutate({ id: mail.id })}
                  aria-label={`Send the ${mail.template} mail to ${mail.recipient} again`}
                >
                  Send again
                </Button>
              ) : (
                <span className="text-sm text-slate-600 dark:text-slate-400">
                  Next attempt <RelativeTime date={mail.nextAttemptAt} />
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
