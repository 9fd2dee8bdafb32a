"use client";
// Optimistic create, update and delete on the list being shown. Each change appears at once; on error it is
// undone and the reason shown. A CONFLICT (someone changed the task meanwhile) loads the current version.
import { useState } from "react";
import type { FormMessage } from "@/components/auth/use-form-state";
import {
  draftTask,
  editTasks,
  findTask,
  prependTask,
  removeTask,
  replaceTask,
  type Task,
} from "@/components/tasks/task-cache";
import { api, errorCode, type RouterInputs } from "@/trpc/react";

type ListInput = { limit: number; completed?: boolean };

export function useTaskMutations(listInput: ListInput) {
  const utils = api.useUtils();
  const [message, setMessage] = useState<FormMessage>(null);

  const read = () => utils.task.list.getInfiniteData(listInput);
  const write = (edit: Parameters<typeof editTasks>[1]) =>
    utils.task.list.setInfiniteData(listInput, (data) => editTasks(data, edit, listInput.completed));
  const begin = async () => {
    setMessage(null);
    await utils.task.list.cancel();
  };
  const settle = () => Promise.all([utils.task.list.invalidate(), utils.task.stats.invalidate()]);
  const fail = (what: string, error: { message: string }) =>
    setMessage({ tone: "error", text: `${what}: ${error.message} Your change was undone.` });

  const create = api.task.create.useMutation({
    onMutate: async (values) => {
      await begin();
      const draft = draftTask(values);
      write(prependTask(draft));
      return { draftId: draft.id };
    },
    onSuccess: (task, _values, context) => write(replaceTask(context.draftId, task)),
    onError: (error, values, context) => {
      if (context) write(removeTask(context.draftId));
      fail(`“${values.title}” was not added`, error);
    },
    onSettled: settle,
  });

  const update = api.task.update.useMutation({
    onMutate: async ({ id, version: _version, ...changes }) => {
      await begin();
      const previous = findTask(read(), id);
      if (previous) write(replaceTask(id, { ...previous, ...changes }));
      return { previous };
    },
    onSuccess: (task) => write(replaceTask(task.id, task)),
    onError: async (error, { id }, context) => {
      if (context?.previous) write(replaceTask(id, context.previous));
      if (errorCode(error) !== "CONFLICT") return fail(`“${context?.previous?.title ?? "The task"}” was not saved`, error);
      const current = await utils.task.byId.fetch({ id });
      write(replaceTask(id, current));
      setMessage({
        tone: "error",
        text: `Someone else changed “${current.title}” while you were editing. The list now shows their version (${
          current.completed ? "done" : "open"
        }, ${current.priority} priority); make your change again if you still want it.`,
      });
    },
    onSettled: settle,
  });

  const remove = api.task.delete.useMutation({
    onMutate: async ({ id }) => {
      await begin();
      const snapshot = read();
      write(removeTask(id));
      return { snapshot, title: findTask(snapshot, id)?.title ?? "The task" };
    },
    onSuccess: (_result, _input, context) => setMessage({ tone: "success", text: `Deleted “${context.title}”.` }),
    onError: (error, _input, context) => {
      if (context) utils.task.list.setInfiniteData(listInput, context.snapshot);
      fail(`“${context?.title ?? "The task"}” was not deleted`, error);
    },
    onSettled: settle,
  });

  return {
    message,
    create: (values: RouterInputs["task"]["create"]) => create.mutateAsync(values).then(() => true, () => false),
    update: (task: Task, changes: Omit<RouterInputs["task"]["update"], "id" | "version">) =>
      update.mutate({ id: task.id, version: task.version, ...changes }),
    remove: (task: Task) => remove.mutate({ id: task.id }),
  };
}

export type TaskActions = ReturnType<typeof useTaskMutations>;
