"use client";
import type { FormEvent } from "react";
import { useFormState } from "@/components/forms/use-form-state";
import { readTaskFields, TaskFields } from "@/components/tasks/task-fields";
import type { TaskActions } from "@/components/tasks/use-task-mutations";
import { Button } from "@/components/ui/button";
import { validate } from "@/components/forms/form-validation";
import { taskCreateInput } from "@/lib/validation/task";

export function NewTaskForm({ create }: { create: TaskActions["create"] }) {
  const form = useFormState((target) => validate(taskCreateInput, readTaskFields(target)).errors);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const checked = validate(taskCreateInput, readTaskFields(target));
    if (!checked.data) return form.showErrors(target, checked.errors);
    form.setErrors({});
    // The task shows in the list at once; the form keeps what was typed until the server has it.
    void form.run(async () => {
      const outcome = await create(checked.data);
      if (outcome.ok) target.reset();
      else form.setErrors(outcome.fieldErrors);
      form.focusWhenIdle(target, "[name='title']");
    });
  }

  return (
    <form
      noValidate
      onSubmit={onSubmit}
      onChange={form.onChange}
      aria-label="New task"
      className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_8rem_10.5rem_auto] sm:items-end"
    >
      <TaskFields errors={form.errors} disabled={form.pending} compact />
      <Button type="submit" pending={form.pending}>
        {form.pending ? "Adding…" : "Add task"}
      </Button>
    </form>
  );
}
