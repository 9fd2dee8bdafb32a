"use client";
import { type FormEvent, useState } from "react";
import { readTaskFields, TaskFields } from "@/components/tasks/task-fields";
import type { TaskActions } from "@/components/tasks/use-task-mutations";
import { Button } from "@/components/ui/button";
import { type FieldErrors, validate } from "@/components/ui/form-validation";
import { taskCreateInput } from "@/lib/validation/task";

export function NewTaskForm({ create }: { create: TaskActions["create"] }) {
  const [errors, setErrors] = useState<FieldErrors>({});

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const checked = validate(taskCreateInput, readTaskFields(form));
    setErrors(checked.errors ?? {});
    if (!checked.data) {
      form.querySelector<HTMLElement>("[name='title']")?.focus();
      return;
    }
    // The task shows at once; the form is ready for the next one while the server confirms.
    form.reset();
    form.querySelector<HTMLElement>("[name='title']")?.focus();
    void create(checked.data);
  }

  return (
    <form
      noValidate
      onSubmit={onSubmit}
      aria-label="New task"
      className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_8rem_10.5rem_auto] sm:items-end"
    >
      <TaskFields errors={errors} compact />
      <Button type="submit">Add task</Button>
    </form>
  );
}
