import type { Metadata } from "next";
import { parseTaskView, taskListInput, taskViewHref } from "@/components/tasks/task-view";
import { InvitationsToYou } from "@/components/organizations/invitations-to-you";
import { TaskBoard } from "@/components/tasks/task-board";
import { roleAllows } from "@/lib/permissions";
import { api, getSpaces, HydrateClient, requireUser } from "@/trpc/server";

export const metadata: Metadata = { title: "Tasks" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function TasksPage({ searchParams }: Props) {
  const view = parseTaskView(await searchParams);
  await requireUser(taskViewHref(view));
  // The space is the session's active organization (chosen in the header), else personal; the role there decides
  // which controls are offered, from the same table the procedures check.
  const { active } = await getSpaces();
  const controls = active
    ? {
        create: roleAllows(active.role, { task: ["create"] }),
        update: roleAllows(active.role, { task: ["update"] }),
        delete: roleAllows(active.role, { task: ["delete"] }),
      }
    : undefined;
  // Awaited, so the first page is in the HTML: no loading state on arrival (the board loads the further pages the
  // URL names).
  const [invitations] = await Promise.all([
    api.organization.invitations(),
    api.task.list.prefetchInfinite(taskListInput(view)),
    api.task.stats.prefetch(),
  ]);
  return (
    <HydrateClient>
      <main id="main" className="mx-auto max-w-3xl px-4 py-8">
        {active && (
          <p className="mb-4 text-sm text-slate-600 dark:text-slate-300" data-testid="space">
            Tasks of <strong>{active.name}</strong> · you are {active.role}
          </p>
        )}
        <InvitationsToYou invitations={invitations} />
        <TaskBoard view={view} controls={controls} />
      </main>
    </HydrateClient>
  );
}
