// The task list's view (filter, order, search and how many pages are shown), kept in the URL
// (/tasks?show=overdue&sort=due&q=rent&pages=2), so the server prefetches exactly what the page shows and a reload,
// also after "Load more", shows it again.
import { TASK_SEARCH_MAX } from "@/lib/validation/task";

export const TASK_FILTERS = {
  all: "All",
  open: "Open",
  done: "Done",
  overdue: "Overdue",
  today: "Due today",
} as const;
export type TaskFilter = keyof typeof TASK_FILTERS;

export const TASK_ORDERS = { newest: "Newest", due: "Due date", priority: "Priority" } as const;
export type TaskOrder = keyof typeof TASK_ORDERS;

export const TASK_PAGE_SIZE = 20;
/** A URL may ask for at most this many pages at once (loaded one after another when the page opens). */
export const TASK_PAGES_MAX = 10;

export type TaskView = { show: TaskFilter; sort: TaskOrder; q: string; pages: number };

const isKeyOf = <T extends object>(record: T, value: string | undefined): value is Extract<keyof T, string> =>
  value !== undefined && Object.hasOwn(record, value);

/** Overdue and due-today tasks are listed by due date, whatever order the URL names. */
const dueFilter = (show: TaskFilter) => show === "overdue" || show === "today";

type SearchParams = Record<string, string | string[] | undefined>;

export function parseTaskView(params: SearchParams): TaskView {
  const one = (key: string) => {
    const value = params[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const show = one("show");
  const sort = one("sort");
  const pages = Number.parseInt(one("pages") ?? "", 10);
  const view: TaskView = {
    show: isKeyOf(TASK_FILTERS, show) ? show : "all",
    sort: isKeyOf(TASK_ORDERS, sort) ? sort : "newest",
    q: (one("q") ?? "").trim().slice(0, TASK_SEARCH_MAX),
    pages: Number.isInteger(pages) ? Math.min(Math.max(pages, 1), TASK_PAGES_MAX) : 1,
  };
  return dueFilter(view.show) ? { ...view, sort: "due" } : view;
}

/** The view's URL, with only what differs from the default; a change of filter, order or search starts at page 1. */
export function taskViewHref(view: TaskView): string {
  const params = new URLSearchParams();
  if (view.show !== "all") params.set("show", view.show);
  if (view.sort !== "newest" && !dueFilter(view.show)) params.set("sort", view.sort);
  if (view.q) params.set("q", view.q);
  if (view.pages > 1) params.set("pages", String(view.pages));
  const query = params.toString();
  return query ? `/tasks?${query}` : "/tasks";
}

export type TaskListInput = {
  limit: number;
  completed?: boolean;
  sort: TaskOrder;
  due?: "overdue" | "today";
  search?: string;
};

/** The `task.list` input of a view, without the cursor (the infinite query adds it). */
export function taskListInput(view: TaskView): TaskListInput {
  return {
    limit: TASK_PAGE_SIZE,
    sort: view.sort,
    ...(view.show === "open" && { completed: false }),
    ...(view.show === "done" && { completed: true }),
    ...(dueFilter(view.show) && { due: view.show === "overdue" ? "overdue" : "today" }),
    ...(view.q && { search: view.q }),
  };
}

/** What the list shows when the view has no task. */
export function emptyViewText(view: TaskView): string {
  if (view.q) return `No task matches “${view.q}”.`;
  switch (view.show) {
    case "done":
      return "Nothing done yet.";
    case "open":
      return "Nothing left to do.";
    case "overdue":
      return "Nothing overdue.";
    case "today":
      return "Nothing due today.";
    default:
      return "No tasks yet: add your first one above.";
  }
}
