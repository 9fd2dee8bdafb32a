// The task list's filter, kept in the URL (?show=open) so the server prefetches exactly what the page shows.
export const TASK_FILTERS = { all: "All", open: "Open", done: "Done" } as const;
export type TaskFilter = keyof typeof TASK_FILTERS;

export const TASK_PAGE_SIZE = 20;

export function parseTaskFilter(value: string | undefined): TaskFilter {
  return value === "open" || value === "done" ? value : "all";
}

/** The `task.list` input of a filter, without the cursor (the infinite query adds it). */
export function taskListInput(filter: TaskFilter): { limit: number; completed?: boolean } {
  if (filter === "all") return { limit: TASK_PAGE_SIZE };
  return { limit: TASK_PAGE_SIZE, completed: filter === "done" };
}
