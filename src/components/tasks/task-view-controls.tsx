"use client";
// Search and order of the task list: each change is a new URL, so the view survives a reload and the back button.
import { useRouter } from "next/navigation";
import { type FormEvent, type ReactNode, useId } from "react";
import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { TASK_ORDERS, type TaskOrder, type TaskView, taskViewHref } from "@/components/tasks/task-view";
import { TASK_SEARCH_MAX } from "@/lib/validation/task";

const isOrder = (value: string): value is TaskOrder => Object.hasOwn(TASK_ORDERS, value);

export function TaskViewControls({ view }: { view: TaskView }) {
  const router = useRouter();
  const id = useId();
  const byDueOnly = view.show === "overdue" || view.show === "today";
  const go = (next: TaskView) => router.push(taskViewHref(next), { scroll: false });

  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const q = new FormData(event.currentTarget).get("q");
    go({ ...view, q: typeof q === "string" ? q.trim() : "", pages: 1 });
  };

  return (
    <div className="flex flex-wrap items-end gap-3">
      {/* Keyed by the search in the URL, so going back to another view shows that view's text. */}
      <form
        key={view.q}
        role="search"
        onSubmit={search}
        className="flex w-full min-w-0 items-end gap-2 sm:w-auto sm:flex-1"
      >
        <Labelled id={`${id}-q`} label="Search tasks" className="min-w-0 flex-1">
          <input
            id={`${id}-q`}
            name="q"
            type="search"
            defaultValue={view.q}
            maxLength={TASK_SEARCH_MAX}
            placeholder="Title or notes"
            className={controlClass}
          />
        </Labelled>
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      <Labelled id={`${id}-sort`} label="Sort by">
        <select
          id={`${id}-sort`}
          value={view.sort}
          disabled={byDueOnly}
          aria-describedby={byDueOnly ? `${id}-sort-hint` : undefined}
          onChange={(event) => {
            if (isOrder(event.target.value)) go({ ...view, sort: event.target.value, pages: 1 });
          }}
          className={controlClass}
        >
          {Object.entries(TASK_ORDERS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        {byDueOnly && (
          <p id={`${id}-sort-hint`} className="sr-only">
            Overdue and due-today tasks are listed by due date.
          </p>
        )}
      </Labelled>
    </div>
  );
}

function Labelled({
  id,
  label,
  className = "",
  children,
}: {
  id: string;
  label: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={`space-y-1 ${className}`}>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children}
    </div>
  );
}
