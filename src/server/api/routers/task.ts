// Tasks: every query is scoped inside its `where` to the call's space (the signed-in user's personal tasks, or an
// organization's, with the permission the caller's role must grant), so ownership cannot be forgotten.
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { Prisma } from "@/generated/prisma/client";
import { taskCreateInput, taskIdInput, taskListInput, taskUpdateInput } from "@/lib/validation/task";
import { orgProcedure, requirePermission } from "@/server/api/procedures";
import type { Space } from "@/server/api/middlewares/require-permission";
import { listTasks } from "@/server/api/routers/task-list";
import type { Database } from "@/server/db";
import { taskSelect } from "@/server/db/selects";
import { spaceInput } from "@/lib/validation/organization";

function isRecordNotFound(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025";
}

/** After a scoped query found nothing: the task is someone else's (FORBIDDEN) or does not exist (NOT_FOUND). */
async function missingTaskError(db: Database, id: string): Promise<TRPCError> {
  const exists = await db.task.findUnique({ where: { id }, select: { id: true } });
  return exists
    ? new TRPCError({ code: "FORBIDDEN", message: "This task belongs to someone else." })
    : new TRPCError({ code: "NOT_FOUND", message: "No such task." });
}

const read = orgProcedure.use(requirePermission({ task: ["read"] }));

/** Where a space's kept counts are (task_counts, organization_task_counts) and the column that finds its tasks. */
function keptCounts(space: Space) {
  return space.kind === "organization"
    ? { table: Prisma.raw("organization_task_counts"), key: Prisma.raw("organization_id"), id: space.organizationId }
    : { table: Prisma.raw("task_counts"), key: Prisma.raw("user_id"), id: space.where.userId };
}

export const taskRouter = {
  list: read.input(taskListInput).query(({ ctx, input }) => listTasks(ctx.db, ctx.space.where, input)),

  byId: read.input(taskIdInput).query(async ({ ctx, input }) => {
    const task = await ctx.db.task.findFirst({ where: { id: input.id, ...ctx.space.where }, select: taskSelect });
    if (!task) throw await missingTaskError(ctx.db, input.id);
    return task;
  }),

  create: orgProcedure
    .use(requirePermission({ task: ["create"] }))
    .input(taskCreateInput)
    .mutation(({ ctx, input: { organizationId: _space, ...fields } }) =>
      ctx.db.task.create({ data: { ...fields, ...ctx.space.data }, select: taskSelect }),
    ),

  /** Optimistic concurrency: the write applies only to the version the client read. */
  update: orgProcedure
    .use(requirePermission({ task: ["update"] }))
    .input(taskUpdateInput)
    .mutation(async ({ ctx, input }) => {
      const { id, version, organizationId: _space, ...changes } = input;
      try {
        return await ctx.db.task.update({
          where: { id, ...ctx.space.where, version },
          data: { ...changes, version: { increment: 1 } },
          select: taskSelect,
        });
      } catch (error) {
        if (!isRecordNotFound(error)) throw error;
      }
      const owned = await ctx.db.task.findFirst({ where: { id, ...ctx.space.where }, select: { version: true } });
      if (!owned) throw await missingTaskError(ctx.db, id);
      throw new TRPCError({
        code: "CONFLICT",
        message: `This task was changed elsewhere (version ${owned.version}, yours ${version}). Reload it and try again.`,
      });
    }),

  delete: orgProcedure
    .use(requirePermission({ task: ["delete"] }))
    .input(taskIdInput)
    .mutation(async ({ ctx, input }) => {
      try {
        await ctx.db.task.delete({ where: { id: input.id, ...ctx.space.where }, select: { id: true } });
      } catch (error) {
        if (isRecordNotFound(error)) throw await missingTaskError(ctx.db, input.id);
        throw error;
      }
      return { id: input.id };
    }),

  /**
   * Read, not counted: counting would read every task of the space. `task_counts` (a user's personal tasks) and
   * `organization_task_counts` are kept exact by triggers on tasks; overdue (which time changes) is the open tasks
   * with a due date minus those not due yet, and due today the open tasks due within 24 hours (as task.list's
   * filter), both found through the partial indexes of open tasks with a due date. One statement, so all four come
   * from one snapshot.
   */
  stats: read.input(spaceInput).query(async ({ ctx }) => {
    const now = new Date();
    const dayLater = new Date(now.getTime() + 86_400_000);
    const { table, key, id } = keptCounts(ctx.space);
    const [row] = await ctx.db.$queryRaw<{ total: number; completed: number; overdue: bigint; due_today: bigint }[]>`
      SELECT c.total, c.completed,
             c.open_with_due - (
               SELECT count(*) FROM tasks WHERE ${key} = ${id} AND NOT completed AND due_at >= ${now}
             ) AS overdue,
             (
               SELECT count(*) FROM tasks
               WHERE ${key} = ${id} AND NOT completed AND due_at >= ${now} AND due_at < ${dayLater}
             ) AS due_today
      FROM ${table} c WHERE c.${key} = ${id}`;
    return {
      total: Number(row?.total ?? 0),
      completed: Number(row?.completed ?? 0),
      overdue: Number(row?.overdue ?? 0),
      dueToday: Number(row?.due_today ?? 0),
    };
  }),
} satisfies TRPCRouterRecord;
