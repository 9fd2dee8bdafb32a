// task.stats reads counts kept by triggers on tasks (task_counts) instead of counting a user's tasks at every call.
// The counts must be exact whatever changes the tasks (the API, bulk SQL, a cascade), and the query must not read
// the user's tasks. (`npm run bench:growth` times it for 1,000 against 1,000,000 tasks.)
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createTestCaller, createUser, type TestUser } from "@/test/fixtures";
import { describePlan, planOf } from "@/test/query-plan";

type Caller = Awaited<ReturnType<typeof createTestCaller>>;

const DAY = 86_400_000;

/** What task.stats answered before the counts were kept: every task of the user, counted. */
async function recount(userId: string) {
  const [row] = await db.$queryRaw<{ total: bigint; completed: bigint; overdue: bigint; due_today: bigint }[]>`
    SELECT count(*) AS total,
           count(*) FILTER (WHERE completed) AS completed,
           count(*) FILTER (WHERE NOT completed AND due_at < now()) AS overdue,
           count(*) FILTER (WHERE NOT completed AND due_at >= now() AND due_at < now() + interval '1 day') AS due_today
    FROM tasks WHERE user_id = ${userId}`;
  return {
    total: Number(row?.total ?? 0),
    completed: Number(row?.completed ?? 0),
    overdue: Number(row?.overdue ?? 0),
    dueToday: Number(row?.due_today ?? 0),
  };
}

const due = fc.constantFrom(null, "past", "future");
const dueDate = (when: "past" | "future" | null) =>
  when === null ? null : new Date(Date.now() + (when === "past" ? -1 : 1) * (1 + Math.random()) * DAY);

const operation = fc.oneof(
  fc.record({ op: fc.constant("create" as const), user: fc.nat(1), due }),
  fc.record({
    op: fc.constant("update" as const),
    user: fc.nat(1),
    pick: fc.nat(),
    completed: fc.option(fc.boolean()),
    due: fc.option(due),
  }),
  fc.record({ op: fc.constant("rename" as const), user: fc.nat(1), pick: fc.nat() }),
  fc.record({ op: fc.constant("delete" as const), user: fc.nat(1), pick: fc.nat() }),
  fc.record({ op: fc.constant("bulk-insert" as const), user: fc.nat(1), count: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ op: fc.constant("bulk-complete" as const), user: fc.nat(1), completed: fc.boolean() }),
  fc.record({ op: fc.constant("bulk-delete" as const), user: fc.nat(1) }),
);

type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

async function apply(operation: Operation, users: TestUser[], callers: Caller[]) {
  const user = users[operation.user] as TestUser;
  const caller = callers[operation.user] as Caller;
  const tasks = await db.task.findMany({
    where: { userId: user.id },
    select: { id: true, version: true },
    orderBy: { id: "asc" },
  });
  const picked = "pick" in operation ? tasks[operation.pick % Math.max(tasks.length, 1)] : undefined;
  switch (operation.op) {
    case "create":
      await caller.task.create({ title: "Task", dueAt: dueDate(operation.due) });
      return;
    case "update":
      if (!picked) return;
      await caller.task.update({
        id: picked.id,
        version: picked.version,
        ...(operation.completed !== null && { completed: operation.completed }),
        ...(operation.due !== null && { dueAt: dueDate(operation.due) }),
      });
      return;
    case "rename":
      if (picked) await caller.task.update({ id: picked.id, version: picked.version, title: "Renamed" });
      return;
    case "delete":
      if (picked) await caller.task.delete({ id: picked.id });
      return;
    case "bulk-insert":
      await db.$executeRaw`
        INSERT INTO tasks (id, title, completed, due_at, user_id, updated_at)
        SELECT gen_random_uuid(), 'Bulk ' || g, g % 2 = 0,
               CASE g % 3 WHEN 0 THEN NULL WHEN 1 THEN now() - interval '1 day' ELSE now() + interval '1 day' END,
               ${user.id}, now()
        FROM generate_series(1, ${operation.count}::int) AS g`;
      return;
    case "bulk-complete":
      await db.$executeRaw`UPDATE tasks SET completed = ${operation.completed} WHERE user_id = ${user.id} AND random() < 0.5`;
      return;
    case "bulk-delete":
      await db.$executeRaw`DELETE FROM tasks WHERE user_id = ${user.id} AND random() < 0.3`;
      return;
  }
}

describe("task.stats counts", () => {
  it("stay exact through any mix of API calls and bulk SQL, for each user separately", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 10 }), async (operations) => {
        const users = [await createUser(), await createUser()];
        const callers = await Promise.all(users.map((user) => createTestCaller(user)));
        for (const operation of operations) await apply(operation, users, callers);
        for (const [index, user] of users.entries()) {
          expect(await callers[index]?.task.stats()).toEqual(await recount(user.id));
        }
      }),
      { numRuns: 15 },
    );
  }, 120_000);

  it("are zero for a user with no tasks, and go with the user", async () => {
    const user = await createUser();
    const caller = await createTestCaller(user);
    expect(await caller.task.stats()).toEqual({ total: 0, completed: 0, overdue: 0, dueToday: 0 });
    await caller.task.create({ title: "One", dueAt: new Date(Date.now() - DAY) });
    expect(await caller.task.stats()).toEqual({ total: 1, completed: 0, overdue: 1, dueToday: 0 });
    await db.user.delete({ where: { id: user.id } });
    expect(await db.taskCount.findUnique({ where: { userId: user.id } })).toBeNull();
  });

  it("count a task overdue as soon as its due time passes, with no write", async () => {
    const user = await createUser();
    const caller = await createTestCaller(user);
    const soon = new Date(Date.now() + 1_500);
    await caller.task.create({ title: "Due in a moment", dueAt: soon });
    expect(await caller.task.stats()).toEqual({ total: 1, completed: 0, overdue: 0, dueToday: 1 });
    await new Promise((resolve) => setTimeout(resolve, soon.getTime() - Date.now() + 100));
    expect(await caller.task.stats()).toEqual({ total: 1, completed: 0, overdue: 1, dueToday: 0 });
  });

  it("count as due today the open tasks due within the next 24 hours, not later ones nor done ones", async () => {
    const caller = await createTestCaller(await createUser());
    const hours = (n: number) => new Date(Date.now() + n * 3_600_000);
    await caller.task.create({ title: "Tonight", dueAt: hours(5) });
    await caller.task.create({ title: "In two days", dueAt: hours(47) });
    const done = await caller.task.create({ title: "Done already", dueAt: hours(3) });
    await caller.task.update({ id: done.id, version: done.version, completed: true });
    expect(await caller.task.stats()).toEqual({ total: 3, completed: 1, overdue: 0, dueToday: 1 });
  });
});

describe("task.stats query plan", () => {
  let caller: Caller;

  beforeAll(async () => {
    const users = await Promise.all(Array.from({ length: 10 }, () => createUser()));
    await db.$executeRaw`
      INSERT INTO tasks (id, title, completed, due_at, user_id, created_at, updated_at)
      SELECT gen_random_uuid(), 'Task ' || g, g % 50 <> 0,
             CASE WHEN g % 10 = 0 THEN now() + (g - 500) * interval '1 hour' END,
             u.id, now() - g * interval '1 minute', now()
      FROM users u, generate_series(1, 1000) AS g`;
    await db.$executeRaw`ANALYZE tasks`;
    caller = await createTestCaller(users[0] ?? null);
  });

  it("reads the kept counts and only the open tasks not yet due, through the partial index", async () => {
    const plan = await planOf(() => caller.task.stats(), "task_counts");
    const indexes = new Set(plan.flatMap((node) => node["Index Name"] ?? []));
    expect(indexes, describePlan(plan)).toContain("tasks_open_user_id_due_at_idx");
    // No other index of tasks, and no Seq Scan of it: nothing reads the tasks that are done or have no due date.
    expect(
      [...indexes].filter((index) => index.startsWith("tasks_") && index !== "tasks_open_user_id_due_at_idx"),
    ).toEqual([]);
    expect(plan.filter((node) => node["Node Type"] === "Seq Scan" && node["Relation Name"] === "tasks")).toEqual([]);
    expect(await caller.task.stats()).toEqual(await recount((await caller.user.me()).id));
  });
});
