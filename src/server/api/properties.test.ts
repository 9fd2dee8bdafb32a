// Bad input at scale: for every procedure, fast-check generates inputs (junk, near-valid values at and past each
// limit, real ids of other people's rows, stale versions) and callers (anonymous, owner by cookie and by JWT, another
// user, an admin, a JWT whose account is gone). Whatever comes in: never an internal error, never a change on a
// refused call, and a successful call changes only the rows its rule allows.
import fc from "fast-check";
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { ADMIN_ONLY_MESSAGE } from "@/server/services/user-administration";
import { type CallerKind, CallerFixtures } from "@/test/caller-fixtures";
import { changesBetween, describeChanges, snapshotDatabase } from "@/test/database-snapshot";
import { propertyParameters, propertyTimeout } from "@/test/input-arbitraries";
import { ADMIN_PROCEDURES, PUBLIC_PROCEDURES } from "@/test/access-policy";
import { callerFor, inputFor, nearValid, validCall } from "@/test/procedure-inputs";

/* Rules -------------------------------------------------------------------------------------------------------- */

/** The error a caller gets before its input is even read, when it may not call the procedure at all. */
function refusalOf(path: string, kind: CallerKind): string[] | null {
  if (PUBLIC_PROCEDURES.includes(path)) return null;
  if (kind === "anonymous") return ["UNAUTHORIZED"];
  // The JWT is still valid, the account is gone: admin procedures look the caller up and find no admin.
  if (ADMIN_PROCEDURES.includes(path) && kind === "deletedUserJwt") return ["UNAUTHORIZED", "FORBIDDEN"];
  if (ADMIN_PROCEDURES.includes(path) && kind !== "admin") return ["FORBIDDEN"];
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
    case "user.resetSecondFactor":
      return lines(`~ users: ${t}`, `\\+ auth_events\\(two-factor-reset\\): ${t}`);
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
    case "mail.retry":
      return lines(`\\+ auth_events\\(mail-retried\\): nobody`);
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

  it.each(PROCEDURES)(
    "%s: never an internal error, no change when refused, only its own changes when not",
    async (path) => {
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
            expect(error.code, `${error.message}\n${error.cause?.stack ?? error.stack}`).not.toBe(
              "INTERNAL_SERVER_ERROR",
            );
            const refusal = refusalOf(path, kind);
            if (refusal) expect(refusal).toContain(error.code);
            // …and the other way round: a procedure that turns non-admins away must be in ADMIN_PROCEDURES.
            else expect(error.message, `${path} refused ${kind} as a non-admin`).not.toBe(ADMIN_ONLY_MESSAGE);
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
      if (!PUBLIC_PROCEDURES.includes(path)) expect(refused).toBeGreaterThan(0);
    },
    propertyTimeout(RUNS),
  );
});
