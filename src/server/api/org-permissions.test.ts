// The allow/deny matrix of organization procedures, derived from the permission table itself: every procedure of
// ORG_PROCEDURES called as every role, a non-member, an anonymous caller and an app admin who is not a member. Each
// answer must be what the table grants, and a refused call must change nothing; so a procedure that forgets its
// check, or a change to the table that the code does not follow, fails here.
import { beforeAll, describe, expect, it } from "vitest";
import { ORG_ROLES, roleAllows } from "@/lib/permissions";
import { auth } from "@/server/auth";
import { db } from "@/server/db";
import { ORG_PROCEDURES } from "@/test/access-policy";
import {
  callerWithHeaders,
  codeOf,
  signIn,
  createOrganization,
  createTestCaller,
  createUser,
  procedureAt,
  type TestCaller,
} from "@/test/fixtures";

const CALLERS = [...ORG_ROLES, "non-member", "anonymous", "app admin, not a member"] as const;
type CallerName = (typeof CALLERS)[number];

let organizationId: string;
let creatorId: string;
const callers = {} as Record<CallerName, TestCaller>;

beforeAll(async () => {
  const users = Object.fromEntries(
    await Promise.all(ORG_ROLES.map(async (role) => [role, await createUser()] as const)),
  ) as unknown as Record<(typeof ORG_ROLES)[number], { id: string }>;
  creatorId = users.owner.id;
  organizationId = (await createOrganization(ORG_ROLES.map((role) => [users[role], role]))).id;
  for (const role of ORG_ROLES) callers[role] = await createTestCaller(users[role]);
  callers["non-member"] = await createTestCaller(await createUser());
  callers.anonymous = await createTestCaller(null);
  callers["app admin, not a member"] = await createTestCaller(await createUser({ role: "admin" }));
});

/** A fresh task of the organization for each call, and a valid input for the procedure naming it. */
async function validCall(path: string) {
  const task = await db.task.create({
    data: { title: "Shared", organizationId, createdById: creatorId },
    select: { id: true },
  });
  const inputs: Record<string, object> = {
    "task.list": { organizationId },
    "task.stats": { organizationId },
    "task.byId": { organizationId, id: task.id },
    "task.create": { organizationId, title: "New shared task" },
    "task.update": { organizationId, id: task.id, version: 1, title: "Renamed" },
    "task.delete": { organizationId, id: task.id },
  };
  return { taskId: task.id, input: inputs[path] };
}

async function organizationTasks() {
  return db.task.findMany({ where: { organizationId }, orderBy: { id: "asc" } });
}

function expected(path: string, caller: CallerName): string {
  if (caller === "anonymous") return "UNAUTHORIZED";
  if (!(ORG_ROLES as readonly string[]).includes(caller)) return "FORBIDDEN";
  return roleAllows(caller, ORG_PROCEDURES[path]!) ? "OK" : "FORBIDDEN";
}

const matrix = Object.keys(ORG_PROCEDURES).flatMap((path) => CALLERS.map((caller) => [path, caller] as const));

describe("organization permission matrix", () => {
  it("covers every organization procedure for every caller", () => {
    expect(matrix).toHaveLength(Object.keys(ORG_PROCEDURES).length * CALLERS.length);
    // Both answers occur: the table is not all-allow or all-deny.
    const answers = new Set(matrix.map(([path, caller]) => expected(path, caller)));
    expect([...answers].sort()).toEqual(["FORBIDDEN", "OK", "UNAUTHORIZED"]);
  });

  it.each(matrix)("%s as %s answers what the table grants", async (path, caller) => {
    const { input } = await validCall(path);
    const before = await organizationTasks();
    const answer = await codeOf(procedureAt(callers[caller], path)(input));
    expect(answer).toBe(expected(path, caller));
    if (answer !== "OK") expect(await organizationTasks()).toEqual(before);
  });
});

describe("organization tasks", () => {
  it("record their creator and stay out of everyone's personal lists", async () => {
    const created = await callers.member.task.create({ organizationId, title: "Shared work" });
    const row = await db.task.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ organizationId, userId: null });
    expect(row.createdById).not.toBeNull();
    const personal = await callers.member.task.list();
    expect(personal.items.map((task) => task.id)).not.toContain(created.id);
    const shared = await callers.viewer.task.list({ organizationId });
    expect(shared.items.map((task) => task.id)).toContain(created.id);
  });

  it("are counted by task.stats for the organization only", async () => {
    const stats = await callers.viewer.task.stats({ organizationId });
    expect(stats.total).toBe(await db.task.count({ where: { organizationId } }));
  });

  it("a personal task is not reachable through an organization", async () => {
    const mine = await callers.owner.task.create({ title: "Private" });
    expect(await codeOf(callers.owner.task.byId({ organizationId, id: mine.id }))).toBe("FORBIDDEN");
    expect(await codeOf(callers.owner.task.delete({ organizationId, id: mine.id }))).toBe("FORBIDDEN");
    expect(await db.task.findUnique({ where: { id: mine.id } })).not.toBeNull();
  });

  it("a removed member is refused at their next call", async () => {
    const user = await createUser();
    const other = (await createOrganization([[user, "member"]])).id;
    const caller = await createTestCaller(user);
    expect(await codeOf(caller.task.list({ organizationId: other }))).toBe("OK");
    await db.member.deleteMany({ where: { organizationId: other, userId: user.id } });
    expect(await codeOf(caller.task.list({ organizationId: other }))).toBe("FORBIDDEN");
  });

  it("a role changed in the database applies at the next call", async () => {
    const user = await createUser();
    const other = (await createOrganization([[user, "member"]])).id;
    const caller = await createTestCaller(user);
    expect(await codeOf(caller.task.create({ organizationId: other, title: "ok" }))).toBe("OK");
    await db.member.updateMany({ where: { organizationId: other, userId: user.id }, data: { role: "viewer" } });
    expect(await codeOf(caller.task.create({ organizationId: other, title: "no" }))).toBe("FORBIDDEN");
  });

  it("the session's active organization is the space when the call names none; null names the personal one", async () => {
    const user = await createUser();
    const other = (await createOrganization([[user, "viewer"]])).id;
    const signedIn = await signIn(user);
    // As a client chooses it: through Better Auth, so a copy of the session in Redis (when configured) has it too.
    await auth.api.setActiveOrganization({ headers: signedIn.headers, body: { organizationId: other } });
    const caller = await callerWithHeaders(signedIn.headers);
    expect(await codeOf(caller.task.create({ title: "viewer cannot" }))).toBe("FORBIDDEN");
    expect(await codeOf(caller.task.create({ organizationId: null, title: "personal" }))).toBe("OK");
  });

  it("refuses a malformed organization id with BAD_REQUEST", async () => {
    expect(await codeOf(callers.owner.task.list({ organizationId: "../x" }))).toBe("BAD_REQUEST");
  });
});
