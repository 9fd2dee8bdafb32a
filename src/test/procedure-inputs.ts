// What property tests send each procedure and as whom: near-valid inputs (ordinary values, values at and past each
// limit, real ids of other people's rows, stale versions), the same with a key too many or too few, and junk; and
// one call per procedure that must succeed. Shared by the in-process and the HTTP property tests.
import fc from "fast-check";
import { TASK_DUE_FILTERS, TASK_PRIORITIES, TASK_SORTS } from "@/lib/validation/task";
import { USER_ROLES } from "@/lib/validation/user";
import { ADMIN_PROCEDURES } from "@/test/access-policy";
import { CALLER_KINDS, type CallerKind, type FixtureName, fixture, GIVEN_UP_MAIL } from "@/test/caller-fixtures";
import { STRONG_PASSWORD } from "@/test/fixtures";
import {
  anyString,
  cursorNear,
  dateNear,
  hugeString,
  idNear,
  integerNear,
  junkInput,
  taskCursorNear,
  textNear,
  uuidNear,
  withUnknownKey,
} from "@/test/input-arbitraries";

type Fields = Record<string, fc.Arbitrary<unknown>>;

/** An input object: the required fields always there (`inputFor` sometimes drops a key), the optional ones at random. */
const object = (required: Fields, optional: Fields = {}) =>
  fc.record({ ...required, ...optional }, { requiredKeys: Object.keys(required) });

const oneOfOrJunk = <T>(values: readonly T[]) =>
  fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...values) }, anyString, junkInput);

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
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom("owner", "other" as const), fc.nat(4))
      .map(([who, i]) => fixture.taskId(who, i)),
  },
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
export const nearValid: Record<string, fc.Arbitrary<unknown>> = {
  "health.check": junkInput,
  "user.me": junkInput,
  "user.updateProfile": object({ name: textNear(100) }),
  "user.authEvents": object({}, page),
  "user.authEventsOf": object({ userId: userIdNear }, page),
  "user.list": object(
    {},
    { ...page, search: textNear(200, 0), banned: fc.oneof({ weight: 3, arbitrary: fc.boolean() }, junkInput) },
  ),
  "user.setRole": object({ userId: userIdNear, role: oneOfOrJunk(USER_ROLES) }),
  "user.ban": object({ userId: userIdNear }, { reason: textNear(500), expiresAt: dateNear }),
  "user.unban": object({ userId: userIdNear }),
  "user.resetSecondFactor": object({ userId: userIdNear }),
  "task.list": object(
    {},
    {
      ...page,
      cursor: taskCursorNear,
      completed: fc.oneof({ weight: 3, arbitrary: fc.boolean() }, junkInput),
      sort: oneOfOrJunk(TASK_SORTS),
      due: oneOfOrJunk(TASK_DUE_FILTERS),
      search: textNear(100, 0),
    },
  ),
  "task.byId": object({ id: taskIdNear }),
  "task.create": object({ title: taskFields.title }, taskFields),
  "task.update": fc
    .tuple(
      updateTarget,
      object({}, { ...taskFields, completed: fc.oneof({ weight: 6, arbitrary: fc.boolean() }, junkInput) }),
    )
    .map(([target, fields]) => ({ ...target, ...fields })),
  "task.delete": object({ id: taskIdNear }),
  "task.stats": junkInput,
  "session.list": junkInput,
  "session.revoke": object({
    id: fc.oneof(
      {
        weight: 3,
        arbitrary: fc
          .tuple(fc.constantFrom("owner", "other" as const), fc.nat(3))
          .map(([who, i]) => fixture.sessionId(who, i)),
      },
      idNear,
    ),
  }),
  "session.revokeOthers": junkInput,
  "session.revokeAll": junkInput,
  "account.export": junkInput,
  "account.delete": object({
    password: fc.oneof({ weight: 2, arbitrary: fc.constant(STRONG_PASSWORD) }, textNear(128), hugeString),
  }),
  "mail.troubled": object({}, { limit: integerNear(1, 100) }),
  "mail.retry": object({ id: fc.oneof({ weight: 2, arbitrary: fc.constant(GIVEN_UP_MAIL.id) }, uuidNear) }),
  "organization.list": object({}, page),
  "organization.mine": junkInput,
  "organization.invitations": junkInput,
};

/** The same object without one of its keys (a required one, when it has any). */
const withMissingKey = (near: fc.Arbitrary<unknown>) =>
  fc.tuple(near, fc.nat()).map(([value, n]) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
    const keys = Object.keys(value);
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== keys[n % keys.length]));
  });

export const inputFor = (path: string) => {
  const near = nearValid[path];
  if (!near) throw new Error(`No input generator for ${path}: add one for every new procedure.`);
  return fc.oneof({ weight: 12, arbitrary: near }, withUnknownKey(near), withMissingKey(near), junkInput);
};

/**
 * One call per procedure that must succeed, run first: if fixtures or generators break so that nothing gets through
 * (every run refused), the check after the runs fails instead of the property passing on refusals alone.
 */
export const validCall: Record<string, [CallerKind, unknown]> = {
  "health.check": ["anonymous", undefined],
  "user.me": ["owner", undefined],
  "user.updateProfile": ["owner", { name: "Renamed Owner" }],
  "user.authEvents": ["ownerJwt", { limit: 5 }],
  "user.authEventsOf": ["admin", { userId: fixture.userId("owner") }],
  "user.list": ["admin", { search: "fixture", limit: 2, banned: false }],
  "user.setRole": ["admin", { userId: fixture.userId("other"), role: "admin" }],
  "user.ban": [
    "admin",
    { userId: fixture.userId("other"), reason: "spam", expiresAt: new Date(Date.now() + 86_400_000) },
  ],
  "user.unban": ["admin", { userId: fixture.userId("owner") }],
  "user.resetSecondFactor": ["admin", { userId: fixture.userId("other") }],
  "task.list": ["owner", { completed: false, sort: "due", due: "overdue", search: "a" }],
  "task.byId": ["ownerJwt", { id: fixture.taskId("owner", 0) }],
  "task.create": ["owner", { title: "Write the report", priority: "high", dueAt: new Date(Date.now() + 86_400_000) }],
  "task.update": [
    "owner",
    { id: fixture.taskId("owner", 0), version: fixture.taskVersion("owner", 0, 0), completed: true },
  ],
  "task.delete": ["ownerJwt", { id: fixture.taskId("owner", 1) }],
  "task.stats": ["owner", undefined],
  "session.list": ["owner", undefined],
  "session.revoke": ["owner", { id: fixture.sessionId("owner", 1) }],
  "session.revokeOthers": ["owner", undefined],
  "session.revokeAll": ["other", undefined],
  "account.export": ["owner", undefined],
  "account.delete": ["owner", { password: STRONG_PASSWORD }],
  "mail.troubled": ["admin", {}],
  "mail.retry": ["admin", { id: GIVEN_UP_MAIL.id }],
  "organization.list": ["admin", { limit: 5 }],
  "organization.mine": ["owner", undefined],
  "organization.invitations": ["owner", undefined],
};

/** Callers, weighted so most calls get past authentication and reach the input rules and the database. */
export function callerFor(path: string): fc.Arbitrary<CallerKind> {
  const weights: Record<CallerKind, number> = ADMIN_PROCEDURES.includes(path)
    ? { anonymous: 1, owner: 1, other: 1, admin: 12, ownerJwt: 1, deletedUserJwt: 1 }
    : { anonymous: 1, owner: 4, other: 1, admin: 1, ownerJwt: 3, deletedUserJwt: 1 };
  return fc.oneof(...CALLER_KINDS.map((kind) => ({ weight: weights[kind], arbitrary: fc.constant(kind) })));
}
