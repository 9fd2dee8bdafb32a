"use client";
// The task list: first page rendered on the server and hydrated, further pages on demand, optimistic edits.
import Link from "next/link";
import { type FocusEvent, type RefObject, useEffect, useLayoutEffect, useRef } from "react";
import { NewTaskForm } from "@/components/tasks/new-task-form";
import { ALL_TASK_CONTROLS, TaskItem, type TaskControls } from "@/components/tasks/task-item";
import { TaskViewControls } from "@/components/tasks/task-view-controls";
import {
  emptyViewText,
  TASK_FILTERS,
  TASK_PAGES_MAX,
  type TaskView,
  taskListInput,
  taskViewHref,
} from "@/components/tasks/task-view";
import { useTaskMutations } from "@/components/tasks/use-task-mutations";
import { Button } from "@/components/ui/button";
import { FilterLink } from "@/components/ui/filter-link";
import { Notice } from "@/components/ui/notice";
import { api } from "@/trpc/react";

const OVERDUE_TONE = "text-red-700 dark:text-red-400";
const DUE_TODAY_TONE = "text-amber-800 dark:text-amber-300";

/** A counter of the stats line that, when there is something to count, is a link to the list of those tasks. */
function CounterFilter({
  view,
  show,
  count,
  tone,
}: {
  view: TaskView;
  show: "overdue" | "today";
  count: number;
  tone: string;
}) {
  if (count === 0) return null;
  return (
    <>
      {" · "}
      <Link
        href={taskViewHref({ ...view, show, pages: 1 })}
        scroll={false}
        aria-current={view.show === show ? "page" : undefined}
        className={`font-semibold ${tone}`}
      >
        {count} {show === "overdue" ? "overdue" : "due today"}
      </Link>
    </>
  );
}

export function TaskBoard({ view, controls = ALL_TASK_CONTROLS }: { view: TaskView; controls?: TaskControls }) {
  const input = taskListInput(view);
  const list = api.task.list.useInfiniteQuery(input, { getNextPageParam: (page) => page.nextCursor });
  const stats = api.task.stats.useQuery();
  const actions = useTaskMutations(input);
  const tasks = list.data?.pages.flatMap((page) => page.items) ?? [];
  // After a reload, the pages the URL counts are loaded again, one after another.
  useEffect(() => {
    const shown = list.data?.pages.length ?? 0;
    if (shown > 0 && shown < view.pages && list.hasNextPage && !list.isFetching) void list.fetchNextPage();
  }, [list, view.pages]);
  // The URL counts the pages shown, so a reload shows them again (replaceState: no new render on the server).
  const loadMore = async () => {
    const { data } = await list.fetchNextPage();
    const pages = Math.min(data?.pages.length ?? 1, TASK_PAGES_MAX);
    window.history.replaceState(null, "", taskViewHref({ ...view, pages }));
  };
  const heading = useRef<HTMLHeadingElement>(null);
  const listElement = useRef<HTMLUListElement>(null);
  const keepFocus = useKeptFocus(
    tasks.map((task) => task.id),
    listElement,
    heading,
  );

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h1 ref={heading} tabIndex={-1} className="text-2xl font-semibold tracking-tight outline-none">
          Your tasks
        </h1>
        {stats.data && (
          <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="task-stats">
            {stats.data.total - stats.data.completed} open · {stats.data.completed} done
            <CounterFilter view={view} show="overdue" count={stats.data.overdue} tone={OVERDUE_TONE} />
            <CounterFilter view={view} show="today" count={stats.data.dueToday} tone={DUE_TODAY_TONE} />
          </p>
        )}
      </div>

      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        {controls.create && <NewTaskForm create={actions.create} />}
      </div>

      {actions.message && <Notice tone={actions.message.tone}>{actions.message.text}</Notice>}

      <div className="space-y-3">
        <nav aria-label="Filter tasks" className="flex flex-wrap gap-1">
          {Object.entries(TASK_FILTERS).map(([value, label]) => (
            <FilterLink
              key={value}
              href={taskViewHref({ ...view, show: value as TaskView["show"], pages: 1 })}
              current={view.show === value}
            >
              {label}
            </FilterLink>
          ))}
        </nav>
        <TaskViewControls view={view} />
      </div>

      {list.isError && !list.data ? (
        <Notice tone="error">Your tasks could not be loaded. {list.error.message}</Notice>
      ) : tasks.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400">
          {emptyViewText(view)}
        </p>
      ) : (
        <ul
          ref={listElement}
          aria-label="Tasks"
          onFocus={keepFocus.onFocus}
          onBlur={keepFocus.onBlur}
          className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
        >
          {tasks.map((task) => (
            <TaskItem key={task.id} task={task} actions={actions} controls={controls} />
          ))}
        </ul>
      )}

      {list.hasNextPage && (
        <div className="flex flex-col items-center gap-3">
          {list.isFetchNextPageError && (
            <Notice tone="error">
              More tasks could not be loaded. {list.error?.message} Press “Load more” to try again.
            </Notice>
          )}
          <Button variant="secondary" pending={list.isFetchingNextPage} onClick={() => void loadMore()}>
            {list.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        </div>
      )}
      <p className="sr-only" aria-live="polite">
        {list.isFetchingNextPage ? "Loading more tasks" : `${tasks.length} tasks shown`}
      </p>
    </div>
  );
}

/**
 * When the row holding focus leaves the list (deleted, or no longer matching the filter), focus moves to the same
 * control of the next row (else the previous one), or to the heading when the list is empty.
 */
function useKeptFocus(
  ids: string[],
  list: RefObject<HTMLUListElement | null>,
  heading: RefObject<HTMLHeadingElement | null>,
) {
  const focused = useRef<{ id: string; control: string | null } | null>(null);
  const previousIds = useRef(ids);

  useLayoutEffect(() => {
    const lost = focused.current;
    const old = previousIds.current;
    previousIds.current = ids;
    if (!lost || ids.includes(lost.id)) return;
    focused.current = null;
    if (document.activeElement && document.activeElement !== document.body) return;
    const index = old.indexOf(lost.id);
    const neighbour =
      old.slice(index + 1).find((id) => ids.includes(id)) ??
      old
        .slice(0, index)
        .reverse()
        .find((id) => ids.includes(id));
    const row = neighbour ? list.current?.querySelector(`[data-task-id="${neighbour}"]`) : null;
    const target =
      row?.querySelector<HTMLElement>(`[data-control="${lost.control}"]:not(:disabled)`) ??
      row?.querySelector<HTMLElement>("input:not(:disabled), button:not(:disabled)") ??
      heading.current;
    target?.focus();
  });

  return {
    onFocus(event: FocusEvent<HTMLElement>) {
      const row = event.target.closest<HTMLElement>("[data-task-id]");
      const id = row?.dataset.taskId;
      focused.current = id
        ? { id, control: event.target.closest<HTMLElement>("[data-control]")?.dataset.control ?? null }
        : null;
    },
    onBlur(event: FocusEvent<HTMLElement>) {
      // Focus that leaves for another part of the page is not ours to move; a removed row blurs with no target.
      if (event.relatedTarget && !event.currentTarget.contains(event.relatedTarget)) focused.current = null;
    },
  };
}
