import type { Metadata } from "next";
import { parseTaskFilter, taskListInput } from "@/components/tasks/task-filter";
import { TaskBoard } from "@/components/tasks/task-board";
import { api, HydrateClient, requireUser } from "@/trpc/server";

export const metadata: Metadata = { title: "Tasks" };

type Props = { searchParams: Promise<{ show?: string }> };

export default async function TasksPage({ searchParams }: Props) {
  const { show } = await searchParams;
  const filter = parseTaskFilter(show);
  await requireUser(filter === "all" ? "/tasks" : `/tasks?show=${filter}`);
  // Awaited, so the first page is in the HTML: no loading state on arrival.
  await Promise.all([api.task.list.prefetchInfinite(taskListInput(filter)), api.task.stats.prefetch()]);
  return (
    <HydrateClient>
      <main id="main" className="mx-auto max-w-3xl px-4 py-8">
        <TaskBoard filter={filter} />
      </main>
    </HydrateClient>
  );
}
