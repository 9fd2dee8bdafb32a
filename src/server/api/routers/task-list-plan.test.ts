// task.list stays fast as a user's tasks grow: PostgreSQL walks an index newest first and stops after a page,
// with no Sort, wherever the page is. Checked on the exact SQL Prisma sends, over enough rows, after ANALYZE.
// (`npm run bench:growth` times it for 1,000 against 1,000,000 tasks.)
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createTestCaller, createUser } from "@/test/fixtures";
import { describePlan, nodeTypes, type PlanNode, planOf, scansOf } from "@/test/query-plan";

const INDEX = "tasks_user_id_created_at_id_idx";
const BY_COMPLETION = "tasks_user_id_completed_created_at_id_idx";
const USERS = 20;
const TASKS_PER_USER = 2_000;

let caller: Awaited<ReturnType<typeof createTestCaller>>;

beforeAll(async () => {
  const users = await Promise.all(Array.from({ length: USERS }, () => createUser()));
  // The newest 100 tasks of each user are a mix; older ones are all done except one in 500: open tasks are rare.
  await db.$executeRaw`
    INSERT INTO tasks (id, title, completed, user_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'Task ' || g, CASE WHEN g <= 100 THEN g % 3 = 0 ELSE g % 500 <> 0 END,
           u.id, now() - g * interval '1 second', now()
    FROM users u, generate_series(1, ${TASKS_PER_USER}::int) AS g`;
  await db.$executeRaw`ANALYZE tasks`;
  caller = await createTestCaller(users[0] ?? null);
});

const planOfList = (input: { cursor?: string; completed?: boolean }) =>
  planOf(() => caller.task.list({ limit: 20, ...input }), `FROM "public"."tasks"`);

/** One scan of `index`, with no Sort and no Seq Scan; returns the scan. */
function expectIndexWalk(plan: PlanNode[], index: string): PlanNode {
  const [walk] = scansOf(plan, index);
  expect(walk, describePlan(plan)).toBeDefined();
  expect(walk?.["Node Type"], describePlan(plan)).toMatch(/^Index (Only )?Scan$/);
  expect(nodeTypes(plan)).not.toContain("Sort");
  expect(nodeTypes(plan)).not.toContain("Seq Scan");
  return walk as PlanNode;
}

/** The walk starts at the cursor (an index condition), rather than reading and filtering every row before it. */
function expectStartsAtCursor(walk: PlanNode) {
  expect(walk["Index Cond"]).toMatch(/created_at <= /);
}

describe("task.list query plan", () => {
  it("the first page walks the (user_id, created_at, id) index with no Sort", async () => {
    expectIndexWalk(await planOfList({}), INDEX);
  });

  it("a later page starts the same walk at the cursor, with no Sort", async () => {
    const { nextCursor } = await caller.task.list({ limit: 20 });
    expect(nextCursor).not.toBeNull();
    expectStartsAtCursor(expectIndexWalk(await planOfList({ cursor: nextCursor ?? undefined }), INDEX));
  });

  it("filtered by completion, it walks the (user_id, completed, created_at, id) index: no task of the other kind is read", async () => {
    for (const completed of [true, false]) {
      const walk = expectIndexWalk(await planOfList({ completed }), BY_COMPLETION);
      expect(walk["Index Cond"]).toMatch(/completed = /);
      expect(walk.Filter).toBeUndefined();
    }
  });

  it("filtered, a later page starts at the cursor too", async () => {
    const { nextCursor } = await caller.task.list({ limit: 20, completed: false });
    expect(nextCursor).not.toBeNull();
    expectStartsAtCursor(
      expectIndexWalk(await planOfList({ completed: false, cursor: nextCursor ?? undefined }), BY_COMPLETION),
    );
  });
});
