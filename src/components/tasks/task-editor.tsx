"use client";
import { type FormEvent, type KeyboardEvent, useEffect, useRef } from "react";
import { useFormState } from "@/components/forms/use-form-state";
import type { Task } from "@/components/tasks/task-cache";
import { readTaskFields, TaskFields } from "@/components/tasks/task-fields";
import type { TaskActions } from "@/components/tasks/use-task-mutations";
import { Button } from "@/components/ui/button";
import { validate } from "@/components/forms/form-validation";
import { taskUpdateInput } from "@/lib/validation/task";

/** Stays open until the save is confirmed, so a refused change keeps what was typed. */
export function TaskEditor({
  task,
  update,
  onClose,
}: {
  task: Task;
  update: TaskActions["update"];
  onClose: () => void;
}) {
  const form = useFormState(
    (target) => validate(taskUpdateInput, { id: task.id, version: task.version, ...readTaskFields(target) }).errors,
  );
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>("[name='title']")?.focus();
  }, []);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const checked = validate(taskUpdateInput, { id: task.id, version: task.version, ...readTaskFields(target) });
    if (!checked.data) return form.showErrors(target, checked.errors);
    form.setErrors({});
    const { id: _id, version: _version, ...changes } = checked.data;
    void form.run(async () => {
      const outcome = await update(task, changes);
      // After a conflict the list shows the other version: the editor's values are out of date.
      if (outcome.ok || outcome.conflict) return onClose();
      form.setErrors(outcome.fieldErrors);
      form.focusWhenIdle(target, "[name='title']");
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === "Escape" && !form.pending) onClose();
  }

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={onSubmit}
      onChange={form.onChange}
      onKeyDown={onKeyDown}
      aria-label={`Edit “${task.title}”`}
      className="space-y-3"
    >
      <TaskFields task={task} errors={form.errors} disabled={form.pending} />
      <div className="flex gap-2">
        <Button type="submit" pending={form.pending}>
          {form.pending ? "Saving…" : "Save"}
        </Button>
        <Button variant="secondary" disabled={form.pending} onClick={onClose}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
