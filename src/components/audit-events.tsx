"use client";
// Account activity (sign-ins, password changes, bans…), newest first, page by page.
import { AUTH_EVENTS_INPUT } from "@/components/audit-event-input";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { RelativeTime } from "@/components/ui/relative-time";
import { describeAuthEvent } from "@/lib/auth-event-text";
import { api, type RouterOutputs } from "@/trpc/react";

type AuthEventPage = RouterOutputs["user"]["authEvents"];
type Paged = {
  data?: { pages: AuthEventPage[] };
  isError: boolean;
  error: { message: string } | null;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
};

const nextCursor = (page: AuthEventPage) => page.nextCursor;

/** The signed-in user's own events; `viewerId` is theirs, so what they did is "by you". */
export function MyAuthEvents({ viewerId }: { viewerId: string }) {
  return (
    <AuthEventList
      viewerId={viewerId}
      query={api.user.authEvents.useInfiniteQuery(AUTH_EVENTS_INPUT, { getNextPageParam: nextCursor })}
    />
  );
}

/** Another user's events, for administrators; the reading administrator's own actions are "by you". */
export function UserAuthEvents({ userId, viewerId }: { userId: string; viewerId: string }) {
  return (
    <AuthEventList
      viewerId={viewerId}
      query={api.user.authEventsOf.useInfiniteQuery({ userId, ...AUTH_EVENTS_INPUT }, { getNextPageParam: nextCursor })}
    />
  );
}

function AuthEventList({ query, viewerId }: { query: Paged; viewerId: string }) {
  const events = query.data?.pages.flatMap((page) => page.items) ?? [];
  if (query.isError) return <Notice tone="error">Activity could not be loaded. {query.error?.message}</Notice>;
  if (!query.data) return <p className="text-sm text-slate-600 dark:text-slate-400">Loading activity…</p>;
  if (events.length === 0)
    return <p className="text-sm text-slate-600 dark:text-slate-400">No activity recorded yet.</p>;
  return (
    <div className="space-y-3">
      <ul className="divide-y divide-slate-200 text-sm dark:divide-slate-800" aria-label="Account activity">
        {events.map((event) => {
          const { summary, details } = describeAuthEvent(event, viewerId);
          return (
            <li key={event.id} className="flex flex-wrap justify-between gap-x-4 gap-y-1 py-2">
              <span>
                <span className="font-medium">{summary}</span>
                {details.length > 0 && (
                  <span className="text-slate-600 dark:text-slate-400"> · {details.join(" · ")}</span>
                )}
              </span>
              <span className="text-slate-600 dark:text-slate-400">
                {event.ip && <>from {event.ip} · </>}
                <RelativeTime date={event.createdAt} />
              </span>
            </li>
          );
        })}
      </ul>
      {query.hasNextPage && (
        <Button variant="secondary" pending={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
          Show older activity
        </Button>
      )}
    </div>
  );
}
