// Bad input at scale: for every procedure, fast-check generates inputs (junk, near-valid values at and past each
// limit, real ids of other people's rows, stale versions) and callers (anonymous, owner by cookie and by JWT, another
// user, an admin, a JWT whose account is gone). Whatever comes in: never an internal error, never a change on a
// refused call, and a successful call changes only the rows its rule allows.
import fc from "fast-check";
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { TASK_PRIORITIES } from "@/lib/validation/task";
import { USER_ROLES } from "@/lib/validation/user";
import { appRouter } from "@/server/api/root";
import { CALLER_KINDS, type CallerKind, CallerFixtures, type FixtureName, fixture } from "@/test/caller-fixtures";
import { changesBetween, describeChanges, snapshotDatabase } from "@/test/database-snapshot";
import { STRONG_PASSWORD } from "@/test/helpers";
import {
  anyString,
  cursorNear,
  dateNear,
  hugeString,
  idNear,
  integerNear,
  junkInput,
  propertyParameters,
  textNear,
  uuidNear,
  withUnknownKey,
} from "@/test/input-arbitraries";

/* Inputs ------------------------------------------------------------------------------------------------------- */

type Fields = Record<string, fc.Arbitrary<unknown>>;

/** An input object: the required fields always there (`inputFor` sometimes drops a key), the optional ones at random. */
const object = (required: Fields, optional: Fields = {}) =>
  fc.record({ ...required, ...optional }, { requiredKeys: Object.keys(required) });

const oneOfOrJunk = <T,>(values: readonly T[]) => fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...values) }, anyString, junkInput);

const page = {
  cursor: cursorNear,
  limit: integerNear(1, 100),
  direction: oneOfOrJunk(["forward", "backward"] as const),
};

const members = ["owner", "other", "admin"] as const satisfies FixtureName[];

/** A user id: one of the fixture users (the deleted one included), or any other string. */
const userIdNear = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom<FixtureName>(...members, "deleted user").map((who) => fixture.userId(who)) },
  idNear,
);

/** A task id: one of the owner's or the other user's tasks, or any other string. */
const taskIdNear = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom("owner", "other" as const), fc.nat(4)).map(([who, i]) => fixture.taskId(who, i)) },
  uuidNear,
);

const taskFields = {
  title: textNear(200),
  description: textNear(5000, 0),
  priority: oneOfOrJunk(TASK_PRIORITIES),
  dueAt: fc.oneof(dateNear, fc.constant(null)),
};

/** The task an update names and the version it claims to have read: current, stale, ahead, or any number. */
const updateTarget = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom("owner", "other" as const), fc.nat(4), fc.constantFrom(0, 0, 0, -1, 1))
      .map(([who, i, delta]) => ({ id: fixture.taskId(who, i), version: fixture.taskVersion(who, i, delta) })),
  },
  object({ id: taskIdNear, version: integerNear(1, 2 ** 31 - 1) }),
);

/** What each procedure is sent: mostly near-valid, sometimes with a key it does not take, sometimes junk. */
const nearValid: Record<string, fc.Arbitrary<unknown>> = {
  "health.check": junkInput,
  "user.me": junkInput,
  "user.updateProfile": object({ name: textNear(100) }),
  "user.authEvents": object({}, page),
  "user.authEventsOf": object({ userId: userIdNear }, page),
  "user.list": object({}, { ...page, search: textNear(200, 0) }),
  "user.setRole": object({ userId: userIdNear, role: oneOfOrJunk(USER_ROLES) }),
  "user.ban": object({ userId: userIdNear }, { reason: textNear(500), expiresAt: dateNear }),
  "user.unban": object({ userId: userIdNear }),
  "task.list": object({}, { ...page, completed: fc.oneof({ weight: 3, arbitrary: fc.boolean() }, junkInput) }),
  "task.byId": object({ id: taskIdNear }),
  "task.create": object({ title: taskFields.title }, taskFields),
  "task.update": fc
    .tuple(updateTarget, object({}, { ...taskFields, completed: fc.oneof({ weight: 6, arbitrary: fc.boolean() }, junkInput) }))
    .map(([target, fields]) => ({ ...target, ...fields })),
  "task.delete": object({ id: taskIdNear }),
  "task.stats": junkInput,
  "session.list": junkInput,
  "session.revoke": object({
    id: fc.oneof(
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom("owner", "other" as const), fc.nat(3)).map(([who, i]) => fixture.sessionId(who, i)) },
      idNear,
    ),
  }),
  "session.revokeOthers": junkInput,
  "session.revokeAll": junkInput,
  "account.export": junkInput,
  "account.delete": object({ password: fc.oneof({ weight: 2, arbitrary: fc.constant(STRONG_PASSWORD) }, textNear(128), hugeString) }),
};

/** The same object without one of its keys (a required one, when it has any). */
const withMissingKey = (near: fc.Arbitrary<unknown>) =>
  fc.tuple(near, fc.nat()).map(([value, n]) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
    const keys = Object.keys(value);
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== keys[n % keys.length]));
  });

const inputFor = (path: string) => {
  const near = nearValid[path];
  if (!near) throw new Error(`No input generator for ${path}: add one for every new procedure.`);
  return fc.oneof({ weight: 12, arbitrary: near }, withUnknownKey(near), withMissingKey(near), junkInput);
};

/**
 * One call per procedure that must succeed, run first: if fixtures or generators break so that nothing gets through
 * (every run refused), the check after the runs fails instead of the property passing on refusals alone.
 */
const validCall: Record<string, [CallerKind, unknown]> = {
  "health.check": ["anonymous", undefined],
  "user.me": ["owner", undefined],
  "user.updateProfile": ["owner", { name: "Renamed Owner" }],
  "user.authEvents": ["ownerJwt", { limit: 5 }],
  "user.authEventsOf": ["admin", { userId: fixture.userId("owner") }],
  "user.list": ["admin", { search: "fixture", limit: 2 }],
  "user.setRole": ["admin", { userId: fixture.userId("other"), role: "admin" }],
  "user.ban": ["admin", { userId: fixture.userId("other"), reason: "spam", expiresAt: new Date(Date.now() + 86_400_000) }],
  "user.unban": ["admin", { userId: fixture.userId("owner") }],
  "task.list": ["owner", { completed: false }],
  "task.byId": ["ownerJwt", { id: fixture.taskId("owner", 0) }],
  "task.create": ["owner", { title: "Write the report", priority: "high", dueAt: new Date(Date.now() + 86_400_000) }],
  "task.update": ["owner", { id: fixture.taskId("owner", 0), version: fixture.taskVersion("owner", 0, 0), completed: true }],
  "task.delete": ["ownerJwt", { id: fixture.taskId("owner", 1) }],
  "task.stats": ["owner", undefined],
  "session.list": ["owner", undefined],
  "session.revoke": ["owner", { id: fixture.sessionId("owner", 1) }],
  "session.revokeOthers": ["owner", undefined],
  "session.revokeAll": ["other", undefined],
  "account.export": ["owner", undefined],
  "account.delete": ["owner", { password: STRONG_PASSWORD }],
};

/* Rules -------------------------------------------------------------------------------------------------------- */

const PUBLIC_PROCEDURES = new Set(["health.check"]);
const ADMIN_PROCEDURES = new Set(["user.authEventsOf", "user.list", "user.setRole", "user.ban", "user.unban"]);

/** Callers, weighted so most calls get past authentication and reach the input rules and the database. */
function callerFor(path: string): fc.Arbitrary<CallerKind> {
  const weights: Record<CallerKind, number> = ADMIN_PROCEDURES.has(path)
    ? { anonymous: 1, owner: 1, other: 1, admin: 12, ownerJwt: 1, deletedUserJwt: 1 }
    : { anonymous: 1, owner: 4, other: 1, admin: 1, ownerJwt: 3, deletedUserJwt: 1 };
  return fc.oneof(...CALLER_KINDS.map((kind) => ({ weight: weights[kind], arbitrary: fc.constant(kind) })));
}

/** The error a caller gets before its input is even read, when it may not call the procedure at all. */
function refusalOf(path: string, kind: CallerKind): string[] | null {
  if (PUBLIC_PROCEDURES.has(path)) return null;
  if (kind === "anonymous") return ["UNAUTHORIZED"];
  // The JWT is still valid, the account is gone: admin procedures look the caller up and find no admin.
  if (ADMIN_PROCEDURES.has(path) && kind === "deletedUserJwt") return ["UNAUTHORIZED", "FORBIDDEN"];
  if (ADMIN_PROCEDURES.has(path) && kind !== "admin") return ["FORBIDDEN"];
  return null;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The changes a successful call may make, as patterns over `describeChanges` lines, for a caller named `me` and a
 * target user named `target` (admin procedures). Anything else it changed is a bug.
 */
function allowedChanges(path: string, me: string, target: string): RegExp[] {
  const lines = (...patterns: string[]) => patterns.map((pattern) => new RegExp(`^${pattern}$`));
  const [m, t] = [escape(me), escape(target)];
  switch (path) {
    case "user.updateProfile":
      return lines(`~ users: ${m}`);
    case "user.setRole":
      return lines(`~ users: ${t}`, `\\+ auth_events\\(role-changed\\): ${t}`);
    case "user.ban":
      return lines(`~ users: ${t}`, `- sessions: ${t}`, `\\+ auth_events\\(banned\\): ${t}`);
    case "user.unban":
      return lines(`~ users: ${t}`, `\\+ auth_events\\(unbanned\\): ${t}`);
    case "task.create":
      return lines(`\\+ tasks: ${m}`);
    case "task.update":
      return lines(`~ tasks: ${m}`);
    case "task.delete":
      return lines(`- tasks: ${m}`);
    case "session.revoke":
    case "session.revokeOthers":
    case "session.revokeAll":
      return lines(`- sessions: ${m}`, `\\+ auth_events\\(session-revoked\\): ${m}`);
    case "account.export":
      return lines(`\\+ auth_events\\(account-exported\\): ${m}`);
    case "account.delete":
      return lines(
        `- (users|accounts|sessions|tasks): ${m}`,
        `~ auth_events\\([a-z-]+\\): ${m} → nobody`,
        `\\+ auth_events\\(account-deleted\\): nobody`,
      );
    default:
      return []; // queries change nothing
  }
}

/* The properties ----------------------------------------------------------------------------------------------- */

const PROCEDURES = Object.keys(appRouter._def.procedures).sort();
const RUNS = 60;

describe("every procedure, any input, any caller", () => {
  let fixtures: CallerFixtures;
  beforeAll(async () => {
    fixtures = await CallerFixtures.create();
  });

  it("has an input generator and a valid call for every procedure", () => {
    expect(Object.keys(nearValid).sort()).toEqual(PROCEDURES);
    expect(Object.keys(validCall).sort()).toEqual(PROCEDURES);
  });

  it.each(PROCEDURES)("%s: never an internal error, no change when refused, only its own changes when not", async (path) => {
    let runs = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(callerFor(path), inputFor(path), async (kind, generated) => {
        const before = await fixtures.prepare();
        const input = fixtures.resolve(generated);
        const outcome = await fixtures.call(kind, path, input);
        if (runs++ === 0) expect(outcome, "the valid call, run first, must succeed").toMatchObject({ ok: true });
        const after = await snapshotDatabase();
        fixtures.remember(after);
        const changes = describeChanges(changesBetween(before, after), fixtures.nameOf);

        if (!outcome.ok) {
          refused++;
          const { error } = outcome;
          if (!(error instanceof TRPCError)) throw error;
          expect(error.code, `${error.message}\n${error.cause?.stack ?? error.stack}`).not.toBe("INTERNAL_SERVER_ERROR");
          const refusal = refusalOf(path, kind);
          if (refusal) expect(refusal).toContain(error.code);
          expect(changes, `refused with ${error.code} (${error.message}) yet changed`).toEqual([]);
          return;
        }

        expect(refusalOf(path, kind), `${kind} may not call ${path}`).toBeNull();
        const me = fixtures.nameOf(fixtures.userIdOf(kind));
        const targetId = (input as { userId?: unknown } | null)?.userId;
        const target = fixtures.nameOf(typeof targetId === "string" ? targetId : null);
        const allowed = kind === "deletedUserJwt" ? [] : allowedChanges(path, me, target);
        const unexpected = changes.filter((line) => !allowed.some((pattern) => pattern.test(line)));
        expect(unexpected, `${kind} called ${path} and changed more than it may`).toEqual([]);
      }),
      { ...propertyParameters(RUNS), examples: validCall[path] ? [validCall[path]] : [] },
    );
    // Both sides of each rule were exercised: the valid call got through, and (but for the public probe) some did not.
    if (!PUBLIC_PROCEDURES.has(path)) expect(refused).toBeGreaterThan(0);
  });
});
