"use client";
// The fields of a task, shared by the new-task form and the editor; values go through the router's own schema.
import { fromDateInput, toDateInput } from "@/components/tasks/due-date";
import type { Task } from "@/components/tasks/task-cache";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import type { FieldErrors } from "@/components/forms/form-validation";
import { TASK_PRIORITIES } from "@/lib/validation/task";

export function TaskFields({
  task,
  errors,
  disabled = false,
  compact = false,
}: {
  task?: Task;
  errors: FieldErrors;
  disabled?: boolean;
  compact?: boolean;
}) {
  return (
    <>
      <TextField
        label="Title"
        name="title"
        defaultValue={task?.title}
        maxLength={200}
        autoComplete="off"
        disabled={disabled}
        error={errors.title}
      />
      {!compact && (
        <TextAreaField
          label="Notes"
          name="description"
          defaultValue={task?.description}
          maxLength={5000}
          disabled={disabled}
          error={errors.description}
        />
      )}
      <div className={`grid grid-cols-2 gap-3 ${compact ? "sm:contents" : ""}`}>
        <SelectField
          label="Priority"
          name="priority"
          defaultValue={task?.priority ?? "medium"}
          disabled={disabled}
          error={errors.priority}
        >
          {TASK_PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {priority[0]?.toUpperCase()}
              {priority.slice(1)}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Due"
          name="dueAt"
          type="date"
          defaultValue={toDateInput(task?.dueAt ?? null)}
          disabled={disabled}
          error={errors.dueAt}
        />
      </div>
    </>
  );
}

/** The form's values in the shape of the task schemas. */
export function readTaskFields(form: HTMLFormElement) {
  const data = new FormData(form);
  const text = (name: string) => (typeof data.get(name) === "string" ? String(data.get(name)) : undefined);
  return {
    title: text("title") ?? "",
    ...(data.has("description") ? { description: text("description") } : {}),
    priority: text("priority"),
    dueAt: fromDateInput(text("dueAt") ?? ""),
  };
}
