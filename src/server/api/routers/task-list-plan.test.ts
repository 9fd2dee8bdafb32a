// task.list stays fast as a user's tasks grow: PostgreSQL walks the (user_id, created_at, id) index newest first
// and stops after a page, with no Sort. Checked on the exact SQL Prisma sends, over enough rows, after ANALYZE.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createTestCaller, createUser } from "@/test/helpers";
import { statementsDuring } from "@/test/statement-counter";

const INDEX = "tasks_user_id_created_at_id_idx";
const USERS = 20;
const TASKS_PER_USER = 2_000;

type PlanNode = { "Node Type": string; "Index Name"?: string; Plans?: PlanNode[] };

const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];

let caller: Awaited<ReturnType<typeof createTestCaller>>;

beforeAll(async () => {
  const users = await Promise.all(Array.from({ length: USERS }, () => createUser()));
  await db.$executeRaw`
    INSERT INTO tasks (id, title, completed, user_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'Task ' || g, g % 3 = 0, u.id, now() - g * interval '1 second', now()
    FROM users u, generate_series(1, ${TASKS_PER_USER}::int) AS g`;
  await db.$executeRaw`ANALYZE tasks`;
  caller = await createTestCaller(users[0] ?? null);
});

/** The plan PostgreSQL chooses for the tasks query that task.list sends for `input`, as a list of nodes. */
async function planOf(input: { cursor?: string; completed?: boolean }): Promise<PlanNode[]> {
  const statements = await statementsDuring(() => caller.task.list({ limit: 20, ...input }));
  const query = statements.find((statement) => statement.sql.includes(`FROM "public"."tasks"`));
  if (!query) throw new Error(`task.list sent no tasks query:\n${statements.map((s) => s.sql).join("\n")}`);
  const [row] = await db.$queryRawUnsafe<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(`EXPLAIN (FORMAT JSON) ${query.sql}`, ...query.args);
  if (!row) throw new Error("EXPLAIN returned nothing");
  return flatten(row["QUERY PLAN"][0].Plan);
}

function expectIndexWalk(plan: PlanNode[]) {
  const types = plan.map((node) => node["Node Type"]);
  const walk = plan.find((node) => /^Index (Only )?Scan$/.test(node["Node Type"]) && node["Index Name"] === INDEX);
  expect(walk, JSON.stringify(plan, null, 1)).toBeDefined();
  expect(types).not.toContain("Sort");
  expect(types).not.toContain("Seq Scan");
}

describe("task.list query plan", () => {
  it("the first page walks the (user_id, created_at, id) index with no Sort", async () => {
    expectIndexWalk(await planOf({}));
  });

  it("a later page (after a cursor) walks the same index with no Sort", async () => {
    const { nextCursor } = await caller.task.list({ limit: 20 });
    expect(nextCursor).not.toBeNull();
    expectIndexWalk(await planOf({ cursor: nextCursor ?? undefined }));
  });

  it("filtered by completion, it still walks the same index with no Sort", async () => {
    expectIndexWalk(await planOf({ completed: false }));
  });
});
