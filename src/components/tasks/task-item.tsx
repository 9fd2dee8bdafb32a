"use client";
import { useEffect, useRef, useState } from "react";
import { formatDue, isOverdue } from "@/components/tasks/due-date";
import { isPending, type Task } from "@/components/tasks/task-cache";
import { TaskEditor } from "@/components/tasks/task-editor";
import { type TaskActions, UNDO_SECONDS } from "@/components/tasks/use-task-mutations";
import { Button } from "@/components/ui/button";

const PRIORITY_STYLE = {
  high: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200",
  medium: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  low: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
} as const;

/**
 * A row; `data-task-id` and `data-control` let the list move focus to the same control of a neighbour. On a phone
 * Edit and Delete sit behind one Actions button, so a row is one line of controls high.
 */
/** What the caller's role lets them do to tasks in this space (src/lib/permissions.ts): other controls are not shown. */
export type TaskControls = { create: boolean; update: boolean; delete: boolean };
export const ALL_TASK_CONTROLS: TaskControls = { create: true, update: true, delete: true };

export function TaskItem({
  task,
  actions,
  controls = ALL_TASK_CONTROLS,
}: {
  task: Task;
  actions: TaskActions;
  controls?: TaskControls;
}) {
  const [editing, setEditing] = useState(false);
  const titleId = `task-${task.id}-title`;
  const pending = isPending(task);
  const saving = actions.isSaving(task);
  const overdue = isOverdue(task);
  const row = useRef<HTMLLIElement>(null);
  // The row's height when Delete was pressed: its Undo keeps the place, so nothing moves under the pointer.
  const [deletedHeight, setDeletedHeight] = useState<number | null>(null);
  const [actionsOpen, setActionsOpen] = useState(false);
  const actionsId = `task-${task.id}-actions`;
  /** Focuses one of the row's controls, or the Actions button when that control is folded away (on a phone). */
  const focusControl = (control: "edit" | "delete") =>
    requestAnimationFrame(() => {
      const target = row.current?.querySelector<HTMLElement>(`[data-control='${control}']`);
      (target?.offsetParent ? target : row.current?.querySelector<HTMLElement>("[data-control='actions']"))?.focus({
        preventScroll: true,
      });
    });

  if (actions.isDeleting(task)) {
    return (
      <DeletedTask
        task={task}
        height={deletedHeight}
        onUndo={() => {
          actions.undoRemove(task);
          focusControl("delete");
        }}
      />
    );
  }

  if (editing) {
    const close = () => {
      setEditing(false);
      focusControl("edit");
    };
    return (
      <li className="p-4" data-task-id={task.id}>
        <TaskEditor task={task} update={actions.update} onClose={close} />
      </li>
    );
  }

  return (
    <li
      ref={row}
      className="relative flex items-start gap-3 px-3 py-2.5 sm:p-4"
      aria-busy={pending || saving || undefined}
      data-testid="task"
      data-task-id={task.id}
    >
      <input
        type="checkbox"
        className="mt-1 size-5 shrink-0 accent-indigo-600"
        checked={task.completed}
        disabled={pending || !controls.update}
        aria-labelledby={titleId}
        data-control="toggle"
        onChange={() => void actions.update(task, { completed: !task.completed })}
      />
      <div className="min-w-0 flex-1">
        <p
          id={titleId}
          className={`break-words font-medium ${task.completed ? "text-slate-500 line-through dark:text-slate-400" : ""}`}
        >
          {task.title}
        </p>
        {task.description && (
          <p className="mt-1 line-clamp-1 whitespace-pre-line break-words text-sm text-slate-600 sm:line-clamp-none dark:text-slate-400">
            {task.description}
          </p>
        )}
        <p className="mt-1 flex flex-wrap items-center gap-2 text-xs sm:mt-2">
          <span className={`rounded-full px-2 py-0.5 font-medium ${PRIORITY_STYLE[task.priority]}`}>
            {task.priority} priority
          </span>
          {task.dueAt && (
            <span
              className={
                overdue ? "font-semibold text-red-700 dark:text-red-400" : "text-slate-600 dark:text-slate-400"
              }
            >
              {overdue && "Overdue · "}due{" "}
              <time
                dateTime={task.dueAt.toISOString()}
                title={task.dueAt.toLocaleDateString()}
                suppressHydrationWarning
              >
                {formatDue(task.dueAt)}
              </time>
            </span>
          )}
        </p>
      </div>
      {(controls.update || controls.delete) && (
        <Button
          variant="ghost"
          className="min-h-9 shrink-0 px-2 py-1 sm:hidden"
          aria-expanded={actionsOpen}
          aria-controls={actionsId}
          disabled={pending}
          data-control="actions"
          onClick={() => setActionsOpen((open) => !open)}
          onKeyDown={(event) => {
            if (event.key === "Escape") setActionsOpen(false);
          }}
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="size-5" fill="currentColor">
            <circle cx="4" cy="10" r="1.75" />
            <circle cx="10" cy="10" r="1.75" />
            <circle cx="16" cy="10" r="1.75" />
          </svg>
          <span className="sr-only">Actions for “{task.title}”</span>
        </Button>
      )}
      {(controls.update || controls.delete) && (
        <div
          id={actionsId}
          className={`${actionsOpen ? "flex" : "hidden"} absolute right-3 top-12 z-10 flex-col gap-1 rounded-md border border-slate-200 bg-white p-1 shadow-md sm:static sm:flex sm:shrink-0 sm:flex-row sm:border-0 sm:bg-transparent sm:p-0 sm:shadow-none dark:border-slate-700 dark:bg-slate-900 sm:dark:bg-transparent`}
          onKeyDown={(event) => {
            if (event.key !== "Escape" || !actionsOpen) return;
            setActionsOpen(false);
            row.current?.querySelector<HTMLElement>("[data-control='actions']")?.focus();
          }}
        >
          {controls.update && (
            <Button
              variant="ghost"
              className="min-h-9 px-3 py-1"
              disabled={pending}
              data-control="edit"
              onClick={() => {
                setActionsOpen(false);
                setEditing(true);
              }}
            >
              Edit<span className="sr-only"> “{task.title}”</span>
            </Button>
          )}
          {controls.delete && (
            <Button
              variant="ghost"
              className="min-h-9 px-3 py-1 text-red-700 dark:text-red-400"
              disabled={pending || saving}
              data-control="delete"
              onClick={() => {
                setActionsOpen(false);
                setDeletedHeight(row.current?.offsetHeight ?? null);
                actions.remove(task);
              }}
            >
              Delete<span className="sr-only"> “{task.title}”</span>
            </Button>
          )}
        </div>
      )}
    </li>
  );
}

/** A deleted task for UNDO_SECONDS: where its row was, at its height, with Undo where Delete was. */
function DeletedTask({ task, height, onUndo }: { task: Task; height: number | null; onUndo: () => void }) {
  const undo = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // Focus was on the Delete button this replaces; keyboard users stay in place, on Undo.
    if (document.activeElement === document.body) undo.current?.focus({ preventScroll: true });
  }, []);
  return (
    <li
      className="flex items-center justify-between gap-3 bg-slate-50 p-4 dark:bg-slate-950"
      style={height ? { minHeight: height } : undefined}
      data-testid="deleted-task"
      data-task-id={task.id}
    >
      <p role="status" className="min-w-0 break-words text-sm text-slate-700 dark:text-slate-300">
        Deleted “{task.title}”. <span className="sr-only">You have {UNDO_SECONDS} seconds to undo.</span>
      </p>
      <Button
        ref={undo}
        variant="secondary"
        className="min-h-9 shrink-0 px-3 py-1"
        data-control="undo"
        onClick={onUndo}
      >
        Undo<span className="sr-only"> the deletion of “{task.title}”</span>
      </Button>
    </li>
  );
}
