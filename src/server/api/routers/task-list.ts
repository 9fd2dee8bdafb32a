// task.list: one page of the caller's tasks in the chosen order, filtered and searched, by keyset pagination.
// Each order is read as a few segments, each a walk of one index from its cursor (e.g. the tasks with a due date,
// then those without), so no page sorts or skips the rows before it, however deep. A fast path: the everyday list
// (newest first, no search) is read with one hand-written statement through Prisma's `$queryRaw`, without building
// the query from objects (a third of the read's CPU, docs/decisions/032-hand-written-reads.md); with
// FAST_PATHS=off Prisma's query builder reads every list, and task-list.differential.test.ts holds the two together.
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { env } from "@/env";
import { taskId, taskPriority, type taskListInput } from "@/lib/validation/task";
import { storableDate } from "@/lib/validation/storable";
import { newestFirst } from "@/server/api/pagination";
import type { Space } from "@/server/api/middlewares/require-permission";
import type { Database } from "@/server/db";
import { taskSelect } from "@/server/db/selects";

type ListInput = z.output<typeof taskListInput>;
type Row = Prisma.TaskGetPayload<{ select: typeof taskSelect }>;
type Segment = { where: Prisma.TaskWhereInput; orderBy: Prisma.TaskOrderByWithRelationInput[] };

const DAY_MS = 86_400_000;
/** High first: the order the enum is declared in, reversed. */
const PRIORITIES_HIGH_FIRST = [...taskPriority.options].reverse();
const dueFirst = [
  { dueAt: { sort: "asc", nulls: "last" } },
  { id: "asc" },
] satisfies Prisma.TaskOrderByWithRelationInput[];

const date = z.iso
  .datetime()
  .transform((iso) => new Date(iso))
  .pipe(storableDate());

/** A cursor names its order and the last row's key in it: the sort key first, the id breaking ties. */
const cursorShape = z.union([
  z.tuple([z.literal("newest"), date, taskId]),
  z.tuple([z.literal("due"), date.nullable(), taskId]),
  z.tuple([z.literal("priority"), taskPriority, date, taskId]),
]);
type Cursor = z.output<typeof cursorShape>;

/** The cursor of the page after `row` in `sort` order (the benchmark builds deep cursors with it too). */
export function encodeTaskCursor(
  sort: ListInput["sort"],
  row: Pick<Row, "id" | "createdAt" | "dueAt" | "priority">,
): string {
  const key =
    sort === "newest"
      ? [sort, row.createdAt.toISOString(), row.id]
      : sort === "due"
        ? [sort, row.dueAt?.toISOString() ?? null, row.id]
        : [sort, row.priority, row.createdAt.toISOString(), row.id];
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** A cursor is client input: one of another order, or with values its columns cannot hold, is refused. */
function decodeCursor(cursor: string, sort: ListInput["sort"]): Cursor {
  const parsed = cursorShape.safeParse(
    (() => {
      try {
        return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
      } catch {
        return null;
      }
    })(),
  );
  if (!parsed.success || parsed.data[0] !== sort)
    throw new TRPCError({ code: "BAD_REQUEST", message: "Invalid cursor" });
  return parsed.data;
}

/**
 * Rows after (createdAt, id) newest first. The redundant `createdAt <= cursor` is the index condition the walk
 * starts at; the OR only settles ties.
 */
function olderThan(createdAt: Date, id: string): Prisma.TaskWhereInput {
  return { createdAt: { lte: createdAt }, OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
}

function newestSegments(cursor: Cursor | null): Segment[] {
  const where = cursor?.[0] === "newest" ? olderThan(cursor[1], cursor[2]) : {};
  return [{ where, orderBy: [...newestFirst] }];
}

/** Soonest due first, then the tasks with no due date (by id); each part a walk of the (…, due_at, id) indexes. */
function dueSegments(cursor: Cursor | null, range: Prisma.DateTimeNullableFilter | null): Segment[] {
  const dated: Segment = { where: { dueAt: range ?? { not: null } }, orderBy: dueFirst };
  const undated: Segment = { where: { dueAt: null }, orderBy: dueFirst };
  const rest = range ? [] : [undated];
  if (cursor?.[0] !== "due") return [dated, ...rest];
  const [, dueAt, id] = cursor;
  if (dueAt === null) return range ? [] : [{ where: { dueAt: null, id: { gt: id } }, orderBy: dueFirst }];
  const after = { AND: [dated.where, { dueAt: { gte: dueAt } }], OR: [{ dueAt: { gt: dueAt } }, { id: { gt: id } }] };
  return [{ where: after, orderBy: dueFirst }, ...rest];
}

/** High, medium, low; newest first within each: one walk of the (…, priority, created_at, id) indexes per level. */
function prioritySegments(cursor: Cursor | null): Segment[] {
  const levels = PRIORITIES_HIGH_FIRST.map((priority): Segment => ({ where: { priority }, orderBy: [...newestFirst] }));
  if (cursor?.[0] !== "priority") return levels;
  const [, priority, createdAt, id] = cursor;
  const level = PRIORITIES_HIGH_FIRST.indexOf(priority);
  return [{ where: { priority, ...olderThan(createdAt, id) }, orderBy: [...newestFirst] }, ...levels.slice(level + 1)];
}

/** Open tasks overdue or due within 24 hours, as of `now`. */
function dueRange(due: ListInput["due"], now: Date): Prisma.DateTimeNullableFilter | null {
  if (due === "overdue") return { lt: now };
  if (due === "today") return { gte: now, lt: new Date(now.getTime() + DAY_MS) };
  return null;
}

/**
 * Title or notes contain the term, any case: ILIKE '%…%' through the trigram indexes of both, with %, _ and \
 * escaped to mean themselves (as user.list's search).
 */
function searchFilter(search: string | undefined): Prisma.TaskWhereInput | null {
  const text = search?.replace(/[\\%_]/g, "\\$&");
  if (!text) return null;
  return {
    OR: [{ title: { contains: text, mode: "insensitive" } }, { description: { contains: text, mode: "insensitive" } }],
  };
}

/**
 * The newest-first segment by hand: the statement Prisma builds for it (the same columns, conditions and order, so
 * the same index walk), with the cursor's time compared as the UTC wall-clock time Prisma stores.
 */
function newestRows(
  db: Database,
  space: Space["where"],
  completed: boolean | undefined,
  cursor: Cursor | null,
  take: number,
) {
  const owner =
    "userId" in space ? Prisma.sql`user_id = ${space.userId}` : Prisma.sql`organization_id = ${space.organizationId}`;
  const done = completed === undefined ? Prisma.empty : Prisma.sql`AND completed = ${completed}`;
  const at = cursor?.[0] === "newest" ? Prisma.sql`${cursor[1].toISOString()}::timestamp` : null;
  const after =
    at && cursor
      ? Prisma.sql`AND created_at <= ${at} AND (created_at < ${at} OR (created_at = ${at} AND id < ${cursor[2]}::uuid))`
      : Prisma.empty;
  return db.$queryRaw<Row[]>`
    SELECT id, title, description, completed, priority, due_at AS "dueAt", created_at AS "createdAt",
      updated_at AS "updatedAt", version
    FROM tasks WHERE ${owner} ${done} ${after}
    ORDER BY created_at DESC, id DESC LIMIT ${take}`;
}

/**
 * `space` is the caller's personal space ({ userId }) or an organization's ({ organizationId }): each has its indexes.
 * `fastPath`: the everyday list by hand (the default is FAST_PATHS; the differential test asks for each way).
 */
export async function listTasks(
  db: Database,
  space: Space["where"],
  input: ListInput,
  now = new Date(),
  fastPath = env.FAST_PATHS === "on",
) {
  const cursor = input.cursor ? decodeCursor(input.cursor, input.sort) : null;
  const range = dueRange(input.due, now);
  // Overdue and due-today tasks are open ones: none of them is done.
  if (range && input.completed === true) return { items: [], nextCursor: null };
  const scope: Prisma.TaskWhereInput = { ...space, completed: range ? false : input.completed };
  const search = searchFilter(input.search);
  // One row more than a page tells whether there is a next one; a segment is read only if the page is not full.
  if (fastPath && input.sort === "newest" && !search) {
    return page(await newestRows(db, space, input.completed, cursor, input.limit + 1), input);
  }
  const segments =
    input.sort === "due"
      ? dueSegments(cursor, range)
      : input.sort === "priority"
        ? prioritySegments(cursor)
        : newestSegments(cursor);
  const rows: Row[] = [];
  for (const segment of segments) {
    const take = input.limit + 1 - rows.length;
    if (take <= 0) break;
    rows.push(
      ...(await db.task.findMany({
        // Flat when it can be (the default list's query stays as it was); the search's OR beside the cursor's in AND.
        where: search ? { ...scope, AND: [search, segment.where] } : { ...scope, ...segment.where },
        orderBy: segment.orderBy,
        take,
        select: taskSelect,
      })),
    );
  }
  return page(rows, input);
}

/** A page of `limit` rows read with one more, which tells whether there is a next page. */
function page(rows: Row[], input: ListInput) {
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > input.limit && last ? encodeTaskCursor(input.sort, last) : null };
}
