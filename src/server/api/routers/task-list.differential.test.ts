// The everyday list by hand (task-list.ts's fast path) against Prisma's query builder on the same data: a personal
// space and an organization's, tasks whose creation times tie (the id settles the order), done and open, and every
// page of a walk with each completion filter and page size. Every page and every next cursor must be the same, and
// the short way must really be the hand-written statement (so the test does not compare Prisma with itself).
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { taskListInput } from "@/lib/validation/task";
import type { Space } from "@/server/api/middlewares/require-permission";
import { listTasks } from "@/server/api/routers/task-list";
import { db } from "@/server/db";
import { createOrganization, createUser } from "@/test/fixtures";
import { statementsDuring } from "@/test/statement-counter";

const TASKS = 40;
let spaces: Array<Space["where"]>;

beforeAll(async () => {
  const user = await createUser();
  const { id: organizationId } = await createOrganization([[user, "owner"]]);
  spaces = [{ userId: user.id }, { organizationId }];
  // Creation times from a few milliseconds, so many tie; one with a due date in four; a third done.
  const base = Date.UTC(2026, 10, 1, 12);
  const rows = (space: Space["where"]) =>
    Array.from({ length: TASKS }, (_, n) => ({
      id: randomUUID(),
      title: `Task ${n}`,
      description: n % 5 === 0 ? "" : `Notes ${n}`,
      completed: n % 3 === 0,
      priority: (["low", "medium", "high"] as const)[n % 3],
      dueAt: n % 4 === 0 ? new Date(base + n * 3_600_000) : null,
      createdAt: new Date(base + (n % 7) * 1_000 + (n % 2)),
      ...("userId" in space ? space : { ...space, createdById: user.id }),
    }));
  await db.task.createMany({ data: [...rows(spaces[0]!), ...rows(spaces[1]!)] });
});

async function walk(space: Space["where"], input: object, fastPath: boolean) {
  const pages = [];
  let cursor: string | undefined;
  do {
    const page = await listTasks(db, space, taskListInput.parse({ ...input, cursor }), new Date(), fastPath);
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && pages.length <= TASKS);
  return pages;
}

describe("task.list's hand-written read", () => {
  it("is the statement the list sends, and Prisma's builder is not", async () => {
    const input = taskListInput.parse({ limit: 5 });
    const fast = await statementsDuring(() => listTasks(db, spaces[0]!, input, new Date(), true));
    const built = await statementsDuring(() => listTasks(db, spaces[0]!, input, new Date(), false));
    expect(fast.map((statement) => statement.sql)).toEqual([expect.stringContaining('due_at AS "dueAt"')]);
    expect(built.map((statement) => statement.sql)).toEqual([expect.not.stringContaining('due_at AS "dueAt"')]);
  });

  it("gives the pages and cursors Prisma's query builder gives, in either space", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 1),
        fc.constantFrom(undefined, true, false),
        fc.integer({ min: 1, max: 12 }),
        async (space, completed, limit) => {
          const input = { limit, ...(completed === undefined ? {} : { completed }) };
          const fast = await walk(spaces[space]!, input, true);
          expect(fast).toEqual(await walk(spaces[space]!, input, false));
          const listed = fast.flatMap((page) => page.items);
          expect(listed).toHaveLength(completed === undefined ? TASKS : completed ? 14 : 26);
        },
      ),
      { numRuns: 40 },
    );
  });
});
