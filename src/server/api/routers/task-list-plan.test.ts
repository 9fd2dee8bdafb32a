// task.list stays fast as a user's tasks grow: PostgreSQL walks an index in the page's order (newest, due date or
// priority) and stops after a page, with no Sort, wherever the page is. Checked on the exact SQL Prisma sends, over enough rows, after ANALYZE.
// (`npm run bench:growth` times it for 1,000 against 1,000,000 tasks.)
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createTestCaller, createUser } from "@/test/fixtures";
import { READS_TASKS, describePlan, nodeTypes, type PlanNode, planOf, plansOf, scansOf } from "@/test/query-plan";

const INDEX = "tasks_user_id_created_at_id_idx";
const BY_COMPLETION = "tasks_user_id_completed_created_at_id_idx";
const BY_DUE = "tasks_user_id_due_at_id_idx";
const BY_COMPLETION_DUE = "tasks_user_id_completed_due_at_id_idx";
const BY_PRIORITY = "tasks_user_id_priority_created_at_id_idx";
const BY_COMPLETION_PRIORITY = "tasks_user_id_completed_priority_created_at_id_idx";
const TITLE_TRGM = "tasks_title_trgm_idx";
const NOTES_TRGM = "tasks_description_trgm_idx";
const USERS = 20;
const TASKS_PER_USER = 2_000;

let caller: Awaited<ReturnType<typeof createTestCaller>>;

beforeAll(async () => {
  const users = await Promise.all(Array.from({ length: USERS }, () => createUser()));
  // The newest 100 tasks of each user are a mix; older ones are done except one in 500 and half of those with a
  // due date: open tasks are few (one in eight). One in four has a due date (half of them past), priorities
  // alternate, and one task's notes name a passport.
  await db.$executeRaw`
    INSERT INTO tasks (id, title, description, completed, priority, due_at, user_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'Task ' || g, CASE WHEN g = 777 THEN 'Renew the passport' ELSE 'Notes ' || g END,
           CASE WHEN g <= 100 THEN g % 3 = 0 ELSE g % 500 <> 0 AND g % 8 <> 0 END,
           (ARRAY['low', 'medium', 'high'])[1 + g % 3]::"Priority",
           CASE WHEN g % 4 = 0 THEN now() + (g - ${TASKS_PER_USER / 2}) * interval '1 hour' END,
           u.id, now() - g * interval '1 second', now()
    FROM users u, generate_series(1, ${TASKS_PER_USER}::int) AS g`;
  // VACUUM as autovacuum would after such a burst: it moves the trigram (GIN) indexes' pending entries into the index.
  await db.$executeRaw`VACUUM ANALYZE tasks`;
  caller = await createTestCaller(users[0] ?? null);
});

type ListInput = Parameters<typeof caller.task.list>[0] & object;

const planOfList = (input: ListInput) => planOf(() => caller.task.list({ limit: 20, ...input }), READS_TASKS);

/** The plans of every statement of one call (an order read in segments sends one per segment it needs). */
const plansOfList = (input: ListInput) => plansOf(() => caller.task.list({ limit: 20, ...input }), READS_TASKS);

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

describe("task.list query plan, by due date", () => {
  it("the first page walks the (user_id, due_at, id) index, soonest first, with no Sort", async () => {
    const [dated] = await plansOfList({ sort: "due" });
    expectIndexWalk(dated as PlanNode[], BY_DUE);
  });

  it("a later page starts at the cursor's due date", async () => {
    const { nextCursor } = await caller.task.list({ limit: 20, sort: "due" });
    const walk = expectIndexWalk(await planOfList({ sort: "due", cursor: nextCursor ?? undefined }), BY_DUE);
    expect(walk["Index Cond"]).toMatch(/due_at >= /);
  });

  it("past the last due date, tasks with none are walked from the cursor's id, in the same index", async () => {
    let cursor: string | undefined;
    let page = await caller.task.list({ limit: 100, sort: "due" });
    while (page.items.at(-1)?.dueAt !== null && page.nextCursor) {
      cursor = page.nextCursor;
      page = await caller.task.list({ limit: 100, sort: "due", cursor });
    }
    const plans = await plansOfList({ sort: "due", cursor: page.nextCursor ?? undefined });
    expect(plans).toHaveLength(1);
    const walk = expectIndexWalk(plans[0] as PlanNode[], BY_DUE);
    expect(walk["Index Cond"]).toMatch(/due_at IS NULL/);
    expect(walk["Index Cond"]).toMatch(/id > /);
  });

  it("filtered by completion, it walks the (user_id, completed, due_at, id) index", async () => {
    for (const completed of [true, false]) {
      const [dated] = await plansOfList({ sort: "due", completed });
      expect(expectIndexWalk(dated as PlanNode[], BY_COMPLETION_DUE)["Index Cond"]).toMatch(/completed = /);
    }
  });

  it("overdue and due-today read only the open tasks in their due range, through an index of open tasks by due date", async () => {
    // PostgreSQL may walk (user_id, completed, due_at, id) in order, or read the partial index of open tasks with a
    // due date and sort what it found: either way it reads no task outside the range, and sorts nothing else.
    for (const due of ["overdue", "today"] as const) {
      const plans = await plansOfList({ sort: "due", due });
      expect(plans).toHaveLength(1);
      const plan = plans[0] as PlanNode[];
      const walks = [...scansOf(plan, BY_COMPLETION_DUE), ...scansOf(plan, "tasks_open_user_id_due_at_idx")];
      expect(walks, describePlan(plan)).toHaveLength(1);
      expect(walks[0]?.["Index Cond"]).toMatch(/due_at < /);
      expect(nodeTypes(plan)).not.toContain("Seq Scan");
    }
  });
});

describe("task.list query plan, by priority", () => {
  it("each level is a walk of the (user_id, priority, created_at, id) index, newest first", async () => {
    const [high] = await plansOfList({ sort: "priority" });
    expect(expectIndexWalk(high as PlanNode[], BY_PRIORITY)["Index Cond"]).toMatch(/priority = /);
  });

  it("a later page starts at the cursor within its level", async () => {
    const { nextCursor } = await caller.task.list({ limit: 20, sort: "priority" });
    const walk = expectIndexWalk(await planOfList({ sort: "priority", cursor: nextCursor ?? undefined }), BY_PRIORITY);
    expectStartsAtCursor(walk);
  });

  it("filtered by completion, it walks the (user_id, completed, priority, created_at, id) index", async () => {
    const [high] = await plansOfList({ sort: "priority", completed: false });
    expectIndexWalk(high as PlanNode[], BY_COMPLETION_PRIORITY);
  });
});

describe("task.list query plan, searched", () => {
  it("a rare term is looked up in the trigram indexes of title and notes, with no Seq Scan", async () => {
    for (const search of ["passport", "RENEW THE"]) {
      const plan = await planOfList({ search });
      const lookups = [TITLE_TRGM, NOTES_TRGM].map((index) => scansOf(plan, index).length);
      expect(lookups, describePlan(plan)).toEqual([1, 1]);
      expect(nodeTypes(plan)).not.toContain("Seq Scan");
      expect((await caller.task.list({ limit: 20, search })).items.map((task) => task.description)).toEqual([
        "Renew the passport",
      ]);
    }
  });

  it("a term most tasks share is found by walking the list's own index, which stops after a page", async () => {
    const plan = await planOfList({ search: "task" });
    expect(nodeTypes(plan)).not.toContain("Seq Scan");
    expect(scansOf(plan, INDEX), describePlan(plan)).toHaveLength(1);
    const { items, nextCursor } = await caller.task.list({ limit: 20, search: "task" });
    expect(items).toHaveLength(20);
    expect(nextCursor).not.toBeNull();
  });
});
