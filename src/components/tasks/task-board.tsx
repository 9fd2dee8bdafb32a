"use client";
// The task list: first page rendered on the server and hydrated, further pages on demand, optimistic edits.
import Link from "next/link";
import { NewTaskForm } from "@/components/tasks/new-task-form";
import { TASK_FILTERS, type TaskFilter, taskListInput } from "@/components/tasks/task-filter";
import { TaskItem } from "@/components/tasks/task-item";
import { useTaskMutations } from "@/components/tasks/use-task-mutations";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { api } from "@/trpc/react";

export function TaskBoard({ filter }: { filter: TaskFilter }) {
  const input = taskListInput(filter);
  const list = api.task.list.useInfiniteQuery(input, { getNextPageParam: (page) => page.nextCursor });
  const stats = api.task.stats.useQuery();
  const actions = useTaskMutations(input);
  const tasks = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">Your tasks</h1>
        {stats.data && (
          <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="task-stats">
            {stats.data.total - stats.data.completed} open · {stats.data.completed} done
            {stats.data.overdue > 0 && <span className="font-semibold text-red-700 dark:text-red-400"> · {stats.data.overdue} overdue</span>}
          </p>
        )}
      </div>

      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <NewTaskForm create={actions.create} />
      </div>

      {actions.message && <Notice tone={actions.message.tone}>{actions.message.text}</Notice>}

      <nav aria-label="Filter tasks" className="flex gap-1">
        {Object.entries(TASK_FILTERS).map(([value, label]) => (
          <Link
            key={value}
            href={value === "all" ? "/tasks" : `/tasks?show=${value}`}
            scroll={false}
            aria-current={filter === value ? "page" : undefined}
            className="rounded-full px-3 py-1 text-sm font-medium text-slate-700 no-underline hover:bg-slate-200 aria-[current=page]:bg-indigo-600 aria-[current=page]:text-white dark:text-slate-200 dark:hover:bg-slate-800 dark:aria-[current=page]:bg-indigo-400 dark:aria-[current=page]:text-slate-950"
          >
            {label}
          </Link>
        ))}
      </nav>

      {list.isError ? (
        <Notice tone="error">Your tasks could not be loaded. {list.error.message}</Notice>
      ) : tasks.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400">
          {filter === "done" ? "Nothing done yet." : filter === "open" ? "Nothing left to do." : "No tasks yet: add your first one above."}
        </p>
      ) : (
        <ul aria-label="Tasks" className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
          {tasks.map((task) => (
            <TaskItem key={task.id} task={task} actions={actions} />
          ))}
        </ul>
      )}

      {list.hasNextPage && (
        <div className="flex justify-center">
          <Button variant="secondary" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
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
