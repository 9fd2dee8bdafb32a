// Pure edits of the cached task pages, used by the optimistic updates; a task that no longer fits the
// filter (completed while "open" is shown) leaves the list.
import type { InfiniteData } from "@tanstack/react-query";
import type { RouterOutputs } from "@/trpc/react";

export type TaskPage = RouterOutputs["task"]["list"];
export type Task = TaskPage["items"][number];
export type TaskPages = InfiniteData<TaskPage, unknown>;
type Edit = (items: Task[], pageIndex: number) => Task[];

export const PENDING_PREFIX = "pending-";

export function isPending(task: Task): boolean {
  return task.id.startsWith(PENDING_PREFIX);
}

export function editTasks<D extends TaskPages>(data: D | undefined, edit: Edit, completed?: boolean): D | undefined {
  if (!data) return data;
  const fits = (task: Task) => completed === undefined || task.completed === completed;
  return {
    ...data,
    pages: data.pages.map((page, index) => ({ ...page, items: edit(page.items, index).filter(fits) })),
  };
}

export const prependTask =
  (task: Task): Edit =>
  (items, pageIndex) =>
    pageIndex === 0 ? [task, ...items] : items;

export const replaceTask =
  (id: string, task: Task): Edit =>
  (items) =>
    items.map((item) => (item.id === id ? task : item));

export const removeTask =
  (id: string): Edit =>
  (items) =>
    items.filter((item) => item.id !== id);

export function findTask(data: TaskPages | undefined, id: string): Task | undefined {
  return data?.pages.flatMap((page) => page.items).find((task) => task.id === id);
}

/** What the list shows for a task being created, until the server answers. */
export function draftTask(values: {
  title: string;
  description?: string;
  priority?: Task["priority"];
  dueAt?: Date | null;
}): Task {
  const now = new Date();
  return {
    id: `${PENDING_PREFIX}${crypto.randomUUID()}`,
    title: values.title,
    description: values.description ?? "",
    completed: false,
    priority: values.priority ?? "medium",
    dueAt: values.dueAt ?? null,
    createdAt: now,
    updatedAt: now,
    version: 0,
  };
}
