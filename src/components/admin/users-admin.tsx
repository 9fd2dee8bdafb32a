"use client";
// Administration of accounts: search, pages, role, ban and unban, a lost second factor reset; every change is
// re-checked by the server, and needs a recent sign-in (the confirm-it-is-you prompt asks for one when it is older).
import Link from "next/link";
import { useState } from "react";
import { ReauthenticationCancelled, useFreshSession } from "@/components/auth/reauthentication";
import type { FormMessage } from "@/components/forms/use-form-state";
import { userListHref, userListInput, type UserListView } from "@/components/admin/user-list-input";
import { type UserActions, UserRow } from "@/components/admin/user-row";
import { Button } from "@/components/ui/button";
import { FilterLink } from "@/components/ui/filter-link";
import { describeFailure } from "@/components/forms/form-validation";
import { Notice } from "@/components/ui/notice";
import { SECOND_FACTOR_REQUIRED } from "@/lib/auth-requirements";
import { api } from "@/trpc/react";

export function UsersAdmin({ view, viewerId }: { view: UserListView; viewerId: string }) {
  const { search } = view;
  const input = userListInput(view);
  const list = api.user.list.useInfiniteQuery(input, { getNextPageParam: (page) => page.nextCursor });
  const utils = api.useUtils();
  const [message, setMessage] = useState<FormMessage>(null);
  const users = list.data?.pages.flatMap((page) => page.items) ?? [];

  // Success is told at the top; a failure is returned to the row that asked, which shows it beside its controls.
  const handlers = (done: (user: { name: string; role: string }) => string) => ({
    onMutate: () => setMessage(null),
    onSuccess: (user: { name: string; role: string }) => setMessage({ tone: "success", text: done(user) }),
    onSettled: () => utils.user.list.invalidate(),
  });
  const setRole = api.user.setRole.useMutation(
    handlers((user) => `${user.name} is now ${user.role === "admin" ? "an administrator" : "a user"}.`),
  );
  const ban = api.user.ban.useMutation(handlers((user) => `${user.name} is banned and signed out everywhere.`));
  const unban = api.user.unban.useMutation(handlers((user) => `${user.name} is no longer banned.`));
  const resetSecondFactor = api.user.resetSecondFactor.useMutation(
    handlers((user) => `Two-factor authentication of ${user.name} is off; they were told by mail.`),
  );
  const { withFreshSession, prompt } = useFreshSession();
  const outcome =
    <I,>(mutateAsync: (input: I) => Promise<unknown>) =>
    (input: I) =>
      withFreshSession(() => mutateAsync(input)).then(
        () => null,
        (error: { message: string }) =>
          error instanceof ReauthenticationCancelled
            ? { message: error.message, fieldErrors: {} }
            : describeFailure(error),
      );
  const actions: UserActions = {
    setRole: outcome(setRole.mutateAsync),
    ban: outcome(ban.mutateAsync),
    unban: outcome(unban.mutateAsync),
    resetSecondFactor: outcome(resetSecondFactor.mutateAsync),
  };
  const needsSecondFactor = (list.error?.data as { reason?: unknown } | undefined)?.reason === SECOND_FACTOR_REQUIRED;

  return (
    <div className="space-y-4">
      <nav aria-label="Filter users" className="flex gap-1">
        {[
          { label: "All users", banned: false },
          { label: "Banned", banned: true },
        ].map((filter) => (
          <FilterLink
            key={filter.label}
            href={userListHref({ search, banned: filter.banned })}
            current={view.banned === filter.banned}
          >
            {filter.label}
          </FilterLink>
        ))}
      </nav>
      <form role="search" className="flex gap-2" action="/admin/users">
        {view.banned && <input type="hidden" name="banned" value="1" />}
        <label htmlFor="user-search" className="sr-only">
          Search users by name or email
        </label>
        <input
          id="user-search"
          name="q"
          type="search"
          defaultValue={search}
          placeholder="Search by name or email"
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-600 dark:bg-slate-900"
        />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      {prompt}
      {needsSecondFactor ? (
        <Notice tone="info">
          {list.error?.message} <Link href="/settings">Go to Settings</Link>.
        </Notice>
      ) : (
        list.isError && <Notice tone="error">Users could not be loaded. {list.error.message}</Notice>
      )}
      {users.length === 0 && list.data ? (
        <p className="text-slate-600 dark:text-slate-400">
          {search
            ? `No ${view.banned ? "banned " : ""}user matches “${search}”.`
            : `No ${view.banned ? "banned " : ""}user.`}
        </p>
      ) : (
        <ul
          aria-label="Users"
          className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
        >
          {users.map((user) => (
            <UserRow key={user.id} user={user} viewerId={viewerId} actions={actions} />
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <div className="flex justify-center">
          <Button variant="secondary" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            Load more users
          </Button>
        </div>
      )}
    </div>
  );
}
