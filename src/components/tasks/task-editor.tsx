"use client";
import { type FormEvent, type KeyboardEvent, useState } from "react";
import type { Task } from "@/components/tasks/task-cache";
import { readTaskFields, TaskFields } from "@/components/tasks/task-fields";
import type { TaskActions } from "@/components/tasks/use-task-mutations";
import { Button } from "@/components/ui/button";
import { type FieldErrors, validate } from "@/components/ui/form-validation";
import { taskUpdateInput } from "@/lib/validation/task";

export function TaskEditor({ task, update, onClose }: { task: Task; update: TaskActions["update"]; onClose: () => void }) {
  const [errors, setErrors] = useState<FieldErrors>({});

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = validate(taskUpdateInput, { id: task.id, version: task.version, ...readTaskFields(event.currentTarget) });
    if (!checked.data) return setErrors(checked.errors);
    const { id: _id, version: _version, ...changes } = checked.data;
    update(task, changes);
    onClose();
  }

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === "Escape") onClose();
  }

  return (
    <form noValidate onSubmit={onSubmit} onKeyDown={onKeyDown} aria-label={`Edit “${task.title}”`} className="space-y-3">
      <TaskFields task={task} errors={errors} />
      <div className="flex gap-2">
        <Button type="submit">Save</Button>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
