"use client";
// Where the account is signed in, with a way to sign out any other device, all others, or everywhere.
import { useState } from "react";
import type { FormMessage } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { RelativeTime } from "@/components/ui/relative-time";
import { api } from "@/trpc/react";

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

export function SessionsList() {
  const sessions = api.session.list.useQuery();
  const utils = api.useUtils();
  const [message, setMessage] = useState<FormMessage>(null);
  const refresh = () => utils.session.list.invalidate();
  const failed = (error: { message: string }) => setMessage({ tone: "error", text: error.message });

  const revoke = api.session.revoke.useMutation({
    onSuccess: () => setMessage({ tone: "success", text: "That device is signed out." }),
    onError: failed,
    onSettled: refresh,
  });
  const revokeOthers = api.session.revokeOthers.useMutation({
    onSuccess: ({ count }) => setMessage({ tone: "success", text: `Signed out ${plural(count, "other device")}.` }),
    onError: failed,
    onSettled: refresh,
  });
  const revokeAll = api.session.revokeAll.useMutation({
    // This device is signed out too: start again from the sign-in page.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    onSuccess: () => window.location.assign("/sign-in?reason=signed-out"),
    onError: failed,
  });

  const others = sessions.data?.filter((session) => !session.current).length ?? 0;

  return (
    <div className="space-y-4">
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      {sessions.isError && <Notice tone="error">Your sessions could not be loaded. {sessions.error.message}</Notice>}
      <ul aria-label="Signed-in devices" className="divide-y divide-slate-200 dark:divide-slate-800">
        {sessions.data?.map((session) => (
          <li key={session.id} className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid="session">
            <div className="min-w-0">
              <p className="font-medium">
                {session.device}
                {session.current && (
                  <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
                    This device
                  </span>
                )}
              </p>
              <p className="text-sm text-slate-600 dark:text-slate-400">
                {session.ipAddress ?? "Unknown IP"} · last active <RelativeTime date={session.lastSeenAt} /> · signed in{" "}
                <RelativeTime date={session.createdAt} />
              </p>
            </div>
            {!session.current && (
              <Button
                variant="secondary"
                className="min-h-9 px-3 py-1"
                pending={revoke.isPending && revoke.variables?.id === session.id}
                onClick={() => revoke.mutate({ id: session.id })}
              >
                Sign out<span className="sr-only"> {session.device}</span>
              </Button>
            )}
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          disabled={others === 0}
          pending={revokeOthers.isPending}
          onClick={() => revokeOthers.mutate()}
        >
          Sign out all other devices
        </Button>
        <Button variant="danger" pending={revokeAll.isPending} onClick={() => revokeAll.mutate()}>
          Sign out everywhere
        </Button>
      </div>
    </div>
  );
}
