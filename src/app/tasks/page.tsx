import type { Metadata } from "next";
import { parseTaskView, taskListInput, taskViewHref } from "@/components/tasks/task-view";
import { TaskBoard } from "@/components/tasks/task-board";
import { api, HydrateClient, requireUser } from "@/trpc/server";

export const metadata: Metadata = { title: "Tasks" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function TasksPage({ searchParams }: Props) {
  const view = parseTaskView(await searchParams);
  await requireUser(taskViewHref(view));
  // Awaited, so the first page is in the HTML: no loading state on arrival (the board loads the further pages the
  // URL names).
  await Promise.all([api.task.list.prefetchInfinite(taskListInput(view)), api.task.stats.prefetch()]);
  return (
    <HydrateClient>
      <main id="main" className="mx-auto max-w-3xl px-4 py-8">
        <TaskBoard view={view} />
      </main>
    </HydrateClient>
  );
}
