// Two organizations, users in several roles in one, the other or both: whatever task procedure or member endpoint
// anyone calls, naming either organization and rows of either, nobody reads or changes the tasks or members of an
// organization that does not grant them it, and a refused call changes nothing at all.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { type OrgRole, roleAllows } from "@/lib/permissions";
import { db } from "@/server/db";
import { createOrganization, createTestCaller, createUser, signIn, type TestCaller } from "@/test/fixtures";
import { authRequest, nextClientIp } from "@/test/http";
import { propertyParameters, propertyTimeout } from "@/test/input-arbitraries";

const RUNS = 150;
const ORGS = ["A", "B"] as const;
type Org = (typeof ORGS)[number];

type Person = { name: string; roles: Partial<Record<Org, OrgRole>>; caller?: TestCaller; cookie?: string };
const people: Person[] = [
  { name: "owner of A", roles: { A: "owner" } },
  { name: "admin of A", roles: { A: "admin" } },
  { name: "member of A", roles: { A: "member" } },
  { name: "viewer of A", roles: { A: "viewer" } },
  { name: "owner of B", roles: { B: "owner" } },
  { name: "member of B", roles: { B: "member" } },
  { name: "admin of A, viewer of B", roles: { A: "admin", B: "viewer" } },
  { name: "nobody's member", roles: {} },
];
const organizationIds = {} as Record<Org, string>;
const userIds: string[] = [];

beforeAll(async () => {
  const users = await Promise.all(people.map(() => createUser()));
  userIds.push(...users.map((user) => user.id));
  for (const org of ORGS) {
    const members = people.flatMap((person, i) => {
      const role = person.roles[org];
      return role ? [[users[i]!, role] as [{ id: string }, string]] : [];
    });
    organizationIds[org] = (await createOrganization(members)).id;
    await db.task.createMany({
      data: Array.from({ length: 4 }, (_, n) => ({
        title: `${org} task ${n}`,
        organizationId: organizationIds[org],
        createdById: users[0]!.id,
      })),
    });
  }
  for (const [i, person] of people.entries()) {
    person.caller = await createTestCaller(users[i]!);
    person.cookie = (await signIn(users[i]!)).headers.get("cookie") ?? "";
  }
});

/** Everything of an organization a call could read or change. */
async function snapshot(org: Org) {
  const organizationId = organizationIds[org];
  const [tasks, members] = await Promise.all([
    db.task.findMany({ where: { organizationId }, orderBy: { id: "asc" } }),
    db.member.findMany({ where: { organizationId }, orderBy: { id: "asc" } }),
  ]);
  return { tasks, members };
}

const pick = async <T>(rows: Promise<T[]>, i: number): Promise<T | undefined> => {
  const list = await rows;
  return list.length ? list[i % list.length] : undefined;
};

type Action = { who: number; space: Org; rowsOf: Org; kind: string; i: number };

/** Runs the action; answers whether it got through and, for a read, what it returned. */
async function run(action: Action): Promise<{ ok: boolean; read?: unknown }> {
  const person = people[action.who]!;
  const organizationId = organizationIds[action.space];
  const task = await pick(db.task.findMany({ where: { organizationId: organizationIds[action.rowsOf] } }), action.i);
  const member = await pick(
    db.member.findMany({ where: { organizationId: organizationIds[action.rowsOf] } }),
    action.i,
  );
  const caller = person.caller!;
  const id = task?.id ?? "0190f0c2-5d1e-7000-8000-000000000000";
  const trpc = async (call: Promise<unknown>) => {
    try {
      return { ok: true, read: await call };
    } catch {
      return { ok: false };
    }
  };
  const auth = async (path: string, body: object) => {
    const response = await authRequest(`/organization/${path}`, {
      body,
      headers: { cookie: person.cookie! },
      ip: nextClientIp(),
    });
    return { ok: response.status < 300 };
  };
  switch (action.kind) {
    case "list":
      return trpc(caller.task.list({ organizationId }));
    case "byId":
      return trpc(caller.task.byId({ organizationId, id }));
    case "stats":
      return trpc(caller.task.stats({ organizationId }));
    case "create":
      return trpc(caller.task.create({ organizationId, title: "made in a run" }));
    case "update":
      return trpc(
        caller.task.update({ organizationId, id, version: task?.version ?? 1, title: `renamed ${action.i}` }),
      );
    case "delete":
      return trpc(caller.task.delete({ organizationId, id }));
    case "setRole":
      return auth("update-member-role", { organizationId, memberId: member?.id ?? "x", role: "viewer" });
    case "remove":
      return auth("remove-member", { organizationId, memberIdOrEmail: member?.id ?? "x" });
    default:
      return { ok: false };
  }
}

const PERMISSION_OF = {
  list: { task: ["read"] },
  byId: { task: ["read"] },
  stats: { task: ["read"] },
  create: { task: ["create"] },
  update: { task: ["update"] },
  delete: { task: ["delete"] },
  setRole: { member: ["update"] },
  remove: { member: ["delete"] },
} as const;

const action = fc.record({
  who: fc.nat(people.length - 1),
  space: fc.constantFrom(...ORGS),
  rowsOf: fc.constantFrom(...ORGS),
  kind: fc.constantFrom(...(Object.keys(PERMISSION_OF) as (keyof typeof PERMISSION_OF)[])),
  i: fc.nat(20),
});

describe("organizations are isolated", () => {
  it(
    "nobody reads or changes another organization's tasks or members; a refused call changes nothing",
    async () => {
      let allowed = 0;
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(action, async (act) => {
          const before = { A: await snapshot("A"), B: await snapshot("B") };
          // The role held now (earlier runs may have lowered it or removed the member).
          const role = before[act.space].members.find((member) => member.userId === userIds[act.who])?.role;
          const result = await run(act);
          const after = { A: await snapshot("A"), B: await snapshot("B") };
          const granted = role !== undefined && roleAllows(role, PERMISSION_OF[act.kind as keyof typeof PERMISSION_OF]);
          if (!granted) expect(result.ok, `${people[act.who]!.name} ${act.kind} in ${act.space}`).toBe(false);
          if (!result.ok) {
            refused++;
            expect(after).toEqual(before);
            return;
          }
          allowed++;
          // The organization the call did not name is untouched, and nothing of it was read.
          const other = act.space === "A" ? "B" : "A";
          expect(after[other]).toEqual(before[other]);
          const seen = JSON.stringify(result.read ?? null);
          for (const row of before[other].tasks) expect(seen).not.toContain(row.id);
        }),
        { ...propertyParameters(RUNS) },
      );
      expect(allowed).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
    },
    propertyTimeout(RUNS, 400),
  );
});
