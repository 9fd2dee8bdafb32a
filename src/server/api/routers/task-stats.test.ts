// task.stats reads counts kept by triggers on tasks (task_counts for a user's personal tasks,
// organization_task_counts for an organization's) instead of counting the tasks at every call. The counts must be
// exact whatever changes the tasks (the API, bulk SQL, a cascade), in every space, and the query must not read the
// space's tasks. (`npm run bench:growth` times it for 1,000 against 1,000,000 tasks, and an organization's for 1,000
// against 100,000.)
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db";
import { createOrganization, createTestCaller, createUser } from "@/test/fixtures";
import { describePlan, planOf } from "@/test/query-plan";

type Caller = Awaited<ReturnType<typeof createTestCaller>>;

const DAY = 86_400_000;

/** A space: whose tasks (the column and its value), and the caller and input that read its stats. */
type Space = { key: "user_id" | "organization_id"; id: string; caller: Caller; input?: { organizationId: string } };

/** Two users' personal spaces and an organization both belong to. */
async function threeSpaces(): Promise<Space[]> {
  const users = [await createUser(), await createUser()];
  const callers = await Promise.all(users.map((user) => createTestCaller(user)));
  const organization = await createOrganization([
    [users[0]!, "owner"],
    [users[1]!, "member"],
  ]);
  return [
    ...users.map((user, index) => ({ key: "user_id" as const, id: user.id, caller: callers[index]! })),
    { key: "organization_id", id: organization.id, caller: callers[0]!, input: { organizationId: organization.id } },
  ];
}

/** What task.stats answered before the counts were kept: every task of the space, counted. */
async function recount({ key, id }: Pick<Space, "key" | "id">) {
  const [row] = await db.$queryRaw<{ total: bigint; completed: bigint; overdue: bigint; due_today: bigint }[]>`
    SELECT count(*) AS total,
           count(*) FILTER (WHERE completed) AS completed,
           count(*) FILTER (WHERE NOT completed AND due_at < now()) AS overdue,
           count(*) FILTER (WHERE NOT completed AND due_at >= now() AND due_at < now() + interval '1 day') AS due_today
    FROM tasks WHERE ${Prisma.raw(key)} = ${id}`;
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
  fc.record({ op: fc.constant("create" as const), space: fc.nat(2), due }),
  fc.record({
    op: fc.constant("update" as const),
    space: fc.nat(2),
    pick: fc.nat(),
    completed: fc.option(fc.boolean()),
    due: fc.option(due),
  }),
  fc.record({ op: fc.constant("rename" as const), space: fc.nat(2), pick: fc.nat() }),
  fc.record({ op: fc.constant("delete" as const), space: fc.nat(2), pick: fc.nat() }),
  fc.record({ op: fc.constant("bulk-insert" as const), space: fc.nat(2), count: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ op: fc.constant("bulk-complete" as const), space: fc.nat(2), completed: fc.boolean() }),
  fc.record({ op: fc.constant("bulk-delete" as const), space: fc.nat(2) }),
);

type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

async function apply(operation: Operation, spaces: Space[]) {
  const { key, id, caller, input } = spaces[operation.space] as Space;
  const tasks = await db.task.findMany({
    where: key === "user_id" ? { userId: id } : { organizationId: id },
    select: { id: true, version: true },
    orderBy: { id: "asc" },
  });
  const picked = "pick" in operation ? tasks[operation.pick % Math.max(tasks.length, 1)] : undefined;
  const column = Prisma.raw(key);
  switch (operation.op) {
    case "create":
      await caller.task.create({ ...input, title: "Task", dueAt: dueDate(operation.due) });
      return;
    case "update":
      if (!picked) return;
      await caller.task.update({
        ...input,
        id: picked.id,
        version: picked.version,
        ...(operation.completed !== null && { completed: operation.completed }),
        ...(operation.due !== null && { dueAt: dueDate(operation.due) }),
      });
      return;
    case "rename":
      if (picked) await caller.task.update({ ...input, id: picked.id, version: picked.version, title: "Renamed" });
      return;
    case "delete":
      if (picked) await caller.task.delete({ ...input, id: picked.id });
      return;
    case "bulk-insert":
      await db.$executeRaw`
        INSERT INTO tasks (id, title, completed, due_at, ${column}, updated_at)
        SELECT gen_random_uuid(), 'Bulk ' || g, g % 2 = 0,
               CASE g % 3 WHEN 0 THEN NULL WHEN 1 THEN now() - interval '1 day' ELSE now() + interval '1 day' END,
               ${id}, now()
        FROM generate_series(1, ${operation.count}::int) AS g`;
      return;
    case "bulk-complete":
      await db.$executeRaw`UPDATE tasks SET completed = ${operation.completed} WHERE ${column} = ${id} AND random() < 0.5`;
      return;
    case "bulk-delete":
      await db.$executeRaw`DELETE FROM tasks WHERE ${column} = ${id} AND random() < 0.3`;
      return;
  }
}

describe("task.stats counts", () => {
  it("stay exact through any mix of API calls and bulk SQL, for each user and organization separately", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 10 }), async (operations) => {
        const spaces = await threeSpaces();
        for (const operation of operations) await apply(operation, spaces);
        for (const space of spaces) expect(await space.caller.task.stats(space.input)).toEqual(await recount(space));
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

  it("are zero for an organization with no tasks, and go with the organization and its tasks", async () => {
    const owner = await createUser();
    const caller = await createTestCaller(owner);
    const { id: organizationId } = await createOrganization([[owner, "owner"]]);
    expect(await caller.task.stats({ organizationId })).toEqual({ total: 0, completed: 0, overdue: 0, dueToday: 0 });
    await caller.task.create({ organizationId, title: "Shared", dueAt: new Date(Date.now() - DAY) });
    expect(await caller.task.stats({ organizationId })).toEqual({ total: 1, completed: 0, overdue: 1, dueToday: 0 });
    // The organization's tasks are not the owner's personal ones.
    expect(await caller.task.stats()).toEqual({ total: 0, completed: 0, overdue: 0, dueToday: 0 });
    await db.organization.delete({ where: { id: organizationId } });
    expect(await db.organizationTaskCount.findUnique({ where: { organizationId } })).toBeNull();
    expect(await db.task.count({ where: { organizationId } })).toBe(0);
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
  let spaces: Space[];

  beforeAll(async () => {
    spaces = await threeSpaces();
    await Promise.all(Array.from({ length: 8 }, () => createUser()));
    const tasks = (column: Prisma.Sql, owners: Prisma.Sql) => db.$executeRaw`
      INSERT INTO tasks (id, title, completed, due_at, ${column}, created_at, updated_at)
      SELECT gen_random_uuid(), 'Task ' || g, g % 50 <> 0,
             CASE WHEN g % 10 = 0 THEN now() + (g - 500) * interval '1 hour' END,
             o.id, now() - g * interval '1 minute', now()
      FROM ${owners} o, generate_series(1, 1000) AS g`;
    await tasks(Prisma.raw("user_id"), Prisma.raw("users"));
    await tasks(Prisma.raw("organization_id"), Prisma.raw("organizations"));
    await db.$executeRaw`ANALYZE tasks`;
  });

  it.each([
    ["a user's", 0, "tasks_open_user_id_due_at_idx"],
    ["an organization's", 2, "tasks_open_organization_id_due_at_idx"],
  ] as const)(
    "reads %s kept counts and only its open tasks not yet due, through the partial index",
    async (_, index, partialIndex) => {
      const space = spaces[index]!;
      const plan = await planOf(() => space.caller.task.stats(space.input), "task_counts c");
      const indexes = new Set(plan.flatMap((node) => node["Index Name"] ?? []));
      expect(indexes, describePlan(plan)).toContain(partialIndex);
      // No other index of tasks, and no Seq Scan of it: nothing reads the tasks that are done or have no due date.
      expect([...indexes].filter((name) => name.startsWith("tasks_") && name !== partialIndex)).toEqual([]);
      expect(plan.filter((node) => node["Node Type"] === "Seq Scan" && node["Relation Name"] === "tasks")).toEqual([]);
      expect(await space.caller.task.stats(space.input)).toEqual(await recount(space));
    },
  );
});
