"use client";
// Optimistic create, update and delete on the list being shown. Each change appears at once; on error it is
// undone and the reason shown. A CONFLICT (someone changed the task meanwhile) loads the current version. A delete
// waits UNDO_SECONDS, while its row offers Undo, before it is sent; leaving the page sends it at once.
import { useEffect, useRef, useState } from "react";
import type { FormMessage } from "@/components/forms/use-form-state";
import {
  draftTask,
  editTasks,
  findTask,
  prependTask,
  removeTask,
  replaceTask,
  type Task,
} from "@/components/tasks/task-cache";
import type { TaskListInput } from "@/components/tasks/task-view";
import { describeFailure, type Failure } from "@/components/forms/form-validation";
import { keepaliveClient } from "@/trpc/keepalive-client";
import { api, errorCode, type RouterInputs } from "@/trpc/react";

/** How long a deleted task can be brought back. */
export const UNDO_SECONDS = 6;

type TaskChanges = Omit<RouterInputs["task"]["update"], "id" | "version">;

/** How a change ended, for the form that asked for it: a CONFLICT has already loaded the current version. */
export type TaskOutcome = { ok: true } | ({ ok: false; conflict: boolean } & Failure);

const succeeded = (): TaskOutcome => ({ ok: true });
const failed = (error: { message: string }): TaskOutcome => ({
  ok: false,
  conflict: errorCode(error) === "CONFLICT",
  ...describeFailure(error),
});

export function useTaskMutations(listInput: TaskListInput) {
  const utils = api.useUtils();
  const [message, setMessage] = useState<FormMessage>(null);
  // A task's updates run one after another, so each sends the version the one before it left in the cache.
  const queues = useRef(new Map<string, Promise<unknown>>());
  const [saving, setSaving] = useState<readonly string[]>([]);
  // Deletes waiting for their undo window to end: the task stays in the list, shown as deleted.
  const deleteTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const [deleting, setDeleting] = useState<readonly string[]>([]);
  const forget = (id: string) => {
    clearTimeout(deleteTimers.current.get(id));
    deleteTimers.current.delete(id);
    setDeleting((ids) => ids.filter((other) => other !== id));
  };

  const read = () => utils.task.list.getInfiniteData(listInput);
  const write = (edit: Parameters<typeof editTasks>[1]) =>
    // Overdue and due-today tasks are open ones: one completed leaves those lists too.
    utils.task.list.setInfiniteData(listInput, (data) =>
      editTasks(data, edit, listInput.due ? false : listInput.completed),
    );
  const begin = async () => {
    setMessage(null);
    await utils.task.list.cancel();
  };
  const settle = () => Promise.all([utils.task.list.invalidate(), utils.task.stats.invalidate()]);
  const fail = (what: string, error: { message: string }, after: string) =>
    setMessage({ tone: "error", text: `${what}: ${describeFailure(error).message} ${after}` });
  const deletedElsewhere = (id: string, title: string) => {
    write(removeTask(id));
    setMessage({ tone: "error", text: `“${title}” was deleted elsewhere, so your change could not be saved.` });
  };

  function inTurn<T>(id: string, job: () => Promise<T>): Promise<T> {
    const next = (queues.current.get(id) ?? Promise.resolve()).then(job);
    queues.current.set(id, next);
    setSaving((ids) => [...ids, id]);
    return next.finally(() => {
      if (queues.current.get(id) === next) queues.current.delete(id);
      setSaving((ids) => ids.filter((other, index) => other !== id || index !== ids.indexOf(id)));
    });
  }

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
      fail(`“${values.title}” was not added`, error, "It is still in the form.");
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
      const title = context?.previous?.title ?? "The task";
      if (errorCode(error) === "NOT_FOUND") return deletedElsewhere(id, title);
      if (errorCode(error) !== "CONFLICT") return fail(`“${title}” was not saved`, error, "Your change was undone.");
      try {
        // Fresh from the server: a copy cached by an earlier conflict would be out of date by now.
        const current = await utils.task.byId.fetch({ id }, { staleTime: 0 });
        write(replaceTask(id, current));
        setMessage({
          tone: "error",
          text: `Someone else changed “${current.title}” while you were editing. The list now shows their version (${
            current.completed ? "done" : "open"
          }, ${current.priority} priority); make your change again if you still want it.`,
        });
      } catch (reloadError) {
        if (errorCode(reloadError) === "NOT_FOUND") return deletedElsewhere(id, title);
        setMessage({
          tone: "error",
          text: `Someone else changed “${title}” while you were editing, and its current version could not be loaded. Reload the page to see it.`,
        });
      }
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
    onError: (error, _input, context) => {
      if (context) utils.task.list.setInfiniteData(listInput, context.snapshot);
      fail(`“${context?.title ?? "The task"}” was not deleted`, error, "Your change was undone.");
    },
    onSettled: settle,
  });

  // Leaving the page (another page of the app, a reload, a closed tab) ends every undo window: the deletes are sent.
  const sendPending = useRef<() => void>(() => undefined);
  useEffect(() => {
    const timers = deleteTimers.current;
    const sendAll = () => {
      if (timers.size === 0) return;
      const ids = [...timers.keys()];
      for (const id of ids) clearTimeout(timers.get(id));
      timers.clear();
      void Promise.allSettled(ids.map((id) => keepaliveClient.task.delete.mutate({ id }))).then(() =>
        Promise.all([utils.task.list.invalidate(), utils.task.stats.invalidate()]),
      );
    };
    sendPending.current = sendAll;
    // pagehide is what phones fire when a tab goes.
    window.addEventListener("pagehide", sendAll);
    return () => {
      window.removeEventListener("pagehide", sendAll);
      sendAll();
    };
  }, [utils]);

  // beforeunload comes before a reload's request, so the reloaded page does not show the task; listened to only while
  // a delete waits, since a beforeunload listener keeps some browsers from keeping the page for Back.
  const waiting = deleting.length > 0;
  useEffect(() => {
    if (!waiting) return;
    const send = () => sendPending.current();
    window.addEventListener("beforeunload", send);
    return () => window.removeEventListener("beforeunload", send);
  }, [waiting]);

  return {
    message,
    isDeleting: (task: Task) => deleting.includes(task.id),
    isSaving: (task: Task) => saving.includes(task.id),
    create: (values: RouterInputs["task"]["create"]): Promise<TaskOutcome> =>
      create.mutateAsync(values).then(succeeded, failed),
    update: (task: Task, changes: TaskChanges): Promise<TaskOutcome> =>
      inTurn(task.id, () => {
        const version = findTask(read(), task.id)?.version ?? task.version;
        return update.mutateAsync({ id: task.id, version, ...changes }).then(succeeded, failed);
      }),
    /** Marks the task deleted and sends the delete once the undo window ends. */
    remove: (task: Task) => {
      if (deleteTimers.current.has(task.id)) return;
      setMessage(null);
      setDeleting((ids) => [...ids, task.id]);
      deleteTimers.current.set(
        task.id,
        setTimeout(() => {
          forget(task.id);
          remove.mutate({ id: task.id });
        }, UNDO_SECONDS * 1000),
      );
    },
    undoRemove: (task: Task) => forget(task.id),
  };
}

export type TaskActions = ReturnType<typeof useTaskMutations>;
