import type { Metadata } from "next";
import { parseTaskView, taskListInput, taskViewHref } from "@/components/tasks/task-view";
import { TaskBoard } from "@/components/tasks/task-board";
import { api, HydrateClient, requireUser } from "@/trpc/server";

export const metadata: Metadata = { title: "Tasks" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function TasksPage({ searchParams }: Props) {
  const view = parseTaskView(await searchParams);
  await requireUser(taskViewHref(view));
  // Awaited, so the pages the URL names are in the HTML: no loading state on arrival, the same view after a reload.
  await Promise.all([
    api.task.list.prefetchInfinite(taskListInput(view), {
      pages: view.pages,
      getNextPageParam: (page) => page.nextCursor,
    }),
    api.task.stats.prefetch(),
  ]);
  return (
    <HydrateClient>
      <main id="main" className="mx-auto max-w-3xl px-4 py-8">
        <TaskBoard view={view} />
      </main>
    </HydrateClient>
  );
}
