// An organization's task.list walks the organization's indexes as a personal list walks the user's: in the page's
// order, with no Sort and no Seq Scan, among many organizations' and users' tasks (task-list-plan.test.ts for the
// personal one, which stays as it was: organization tasks have no user_id).
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createOrganization, createTestCaller, createUser } from "@/test/fixtures";
import { READS_TASKS, describePlan, nodeTypes, type PlanNode, plansOf, scansOf } from "@/test/query-plan";

const ORGANIZATIONS = 10;
const TASKS_PER_ORGANIZATION = 3_000;

let caller: Awaited<ReturnType<typeof createTestCaller>>;
let organizationId: string;

beforeAll(async () => {
  const user = await createUser();
  const organizations = [];
  for (let i = 0; i < ORGANIZATIONS; i++) organizations.push(await createOrganization([[user, "viewer"]]));
  organizationId = organizations[0]!.id;
  await db.$executeRaw`
    INSERT INTO tasks (id, title, description, completed, priority, due_at, organization_id, created_by_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'Task ' || g, 'Notes ' || g,
           CASE WHEN g <= 100 THEN g % 3 = 0 ELSE g % 500 <> 0 AND g % 8 <> 0 END,
           (ARRAY['low', 'medium', 'high'])[1 + g % 3]::"Priority",
           CASE WHEN g % 4 = 0 THEN now() + (g - ${TASKS_PER_ORGANIZATION / 2}) * interval '1 hour' END,
           o.id, ${user.id}, now() - g * interval '1 second', now()
    FROM organizations o, generate_series(1, ${TASKS_PER_ORGANIZATION}::int) AS g`;
  await db.$executeRaw`
    INSERT INTO tasks (id, title, user_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'Personal ' || g, ${user.id}, now() - g * interval '1 second', now()
    FROM generate_series(1, ${TASKS_PER_ORGANIZATION}::int) AS g`;
  await db.$executeRaw`VACUUM ANALYZE tasks`;
  caller = await createTestCaller(user);
});

function expectIndexWalk(plan: PlanNode[], index: string) {
  const [walk] = scansOf(plan, index);
  expect(walk, describePlan(plan)).toBeDefined();
  expect(nodeTypes(plan)).not.toContain("Sort");
  expect(nodeTypes(plan)).not.toContain("Seq Scan");
}

type ListInput = Parameters<typeof caller.task.list>[0] & object;
const plansOfList = (input: ListInput) =>
  plansOf(() => caller.task.list({ limit: 20, organizationId, ...input }), READS_TASKS);

describe("an organization's task.list plan", () => {
  it.each([
    ["newest first", {}, "tasks_organization_id_created_at_id_idx"],
    ["open ones newest first", { completed: false }, "tasks_organization_id_completed_created_at_id_idx"],
    ["by due date", { sort: "due" as const }, "tasks_organization_id_due_at_id_idx"],
    ["overdue", { sort: "due" as const, due: "overdue" as const }, "tasks_organization_id_completed_due_at_id_idx"],
    ["by priority", { sort: "priority" as const }, "tasks_organization_id_priority_created_at_id_idx"],
  ])("%s walks %s", async (_, input, index) => {
    const plans = await plansOfList(input as ListInput);
    expect(plans.length).toBeGreaterThan(0);
    expectIndexWalk(plans[0]!, index);
  });
});
