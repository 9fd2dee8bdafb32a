// The callers property tests act as (anonymous, an owner, another user, an admin, bearer JWTs), the rows they own,
// and the repairs that put them back before every run, so one run's successful delete or ban never leaks into the next.
import fc from "fast-check";
import { mutationCounterKey } from "@/server/api/middlewares/mutation-limit";
import { failedPasswordKey } from "@/server/auth/password-attempts";
import { db } from "@/server/db";
import { counters } from "@/server/rate-limit/counters";
import { rowsOf, type Snapshot, snapshotDatabase } from "@/test/database-snapshot";
import { callerWithHeaders, createUser, procedureAt, signIn, type TestUser } from "@/test/fixtures";
import { accessTokenFor } from "@/test/fixtures/tokens";

export const CALLER_KINDS = [
  "anonymous",
  "owner",
  "other",
  "admin",
  /** The owner with `Authorization: Bearer <JWT>`: no database read to authenticate. */
  "ownerJwt",
  /** A JWT that outlived its user: it stays valid until it expires, the account is gone. */
  "deletedUserJwt",
] as const;
export type CallerKind = (typeof CALLER_KINDS)[number];

/** The signed-in fixture users, by the name failure messages and change lines use. */
type Member = "owner" | "other" | "admin";
const MEMBERS: Record<Member, { role: "user" | "admin"; tasks: number; sessions: number }> = {
  owner: { role: "user", tasks: 3, sessions: 3 },
  other: { role: "user", tasks: 2, sessions: 1 },
  admin: { role: "admin", tasks: 0, sessions: 1 },
};
export type FixtureName = Member | "deleted user";

type SignedIn = { user: TestUser; cookie: Headers; sessionId: string };

export type CallOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class CallerFixtures {
  private readonly names = new Map<string, FixtureName>();
  private last: Snapshot | null = null;
  private current: Snapshot = new Map();
  private calls = 0;

  private constructor(
    private readonly members: Record<Member, SignedIn>,
    private ownerJwt: string,
    private deletedUser: { id: string; jwt: string },
  ) {
    for (const [name, member] of Object.entries(members)) this.names.set(member.user.id, name as Member);
    this.names.set(deletedUser.id, "deleted user");
  }

  static async create(): Promise<CallerFixtures> {
    await db.emailOutbox.create({ data: GIVEN_UP_MAIL });
    const members = {
      owner: await signedInMember("owner"),
      other: await signedInMember("other"),
      admin: await signedInMember("admin"),
    };
    const ownerJwt = await accessTokenFor(members.owner.user);
    return new CallerFixtures(members, ownerJwt, await deletedUserWithJwt());
  }

  /**
   * New JWTs for the owner and a new deleted user when theirs expire within a minute (deep runs outlast them), and for
   * the owner when its session is gone.
   * True when that wrote to the database (a session, a user that came and went).
   */
  private async renewExpiringTokens(snapshot: Snapshot): Promise<boolean> {
    const claims = (jwt: string) =>
      JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString()) as { exp: number; sid: string };
    const expiring = (jwt: string) => claims(jwt).exp * 1000 - Date.now() < 60_000;
    let renewed = false;
    // A JWT whose session a run revoked (sign-out everywhere, a revoked session) is refused from then on: a new one.
    if (expiring(this.ownerJwt) || !snapshot.has(`sessions/${claims(this.ownerJwt).sid}`)) {
      this.ownerJwt = await accessTokenFor(this.members.owner.user);
      renewed = true;
    }
    if (expiring(this.deletedUser.jwt)) {
      this.deletedUser = await deletedUserWithJwt();
      this.names.set(this.deletedUser.id, "deleted user");
      renewed = true;
    }
    return renewed;
  }

  /** Who a caller acts as (null for anonymous). */
  userIdOf(kind: CallerKind | FixtureName): string | null {
    switch (kind) {
      case "anonymous":
        return null;
      case "ownerJwt":
        return this.members.owner.user.id;
      case "deletedUserJwt":
      case "deleted user":
        return this.deletedUser.id;
      default:
        return this.members[kind].user.id;
    }
  }

  /** "owner", "other", "admin", "deleted user" (also for ids they had before a repair), "nobody" or "unknown". */
  nameOf = (userId: string | null): string => (userId === null ? "nobody" : (this.names.get(userId) ?? "unknown"));

  /**
   * Repairs what earlier runs changed (a deleted or banned user, a changed role, revoked sessions, deleted
   * tasks) and returns the database as the next call will find it. Starts from the last snapshot taken after a
   * call, so a run usually costs no extra statement here.
   */
  async prepare(): Promise<Snapshot> {
    // Every few calls the members' limits start again (they live outside the snapshot), so runs meet the rules
    // behind the limits, not only the limits. The limits themselves are tested where they are built.
    if (this.calls++ % 5 === 0) {
      for (const { user } of Object.values(this.members)) {
        await counters.reset(mutationCounterKey(user.id));
        await counters.reset(failedPasswordKey(user.email) ?? "");
      }
      await counters.reset(mutationCounterKey(this.deletedUser.id));
    }
    let snapshot = this.last ?? (await snapshotDatabase());
    let repaired = false;
    for (const name of Object.keys(MEMBERS) as Member[]) {
      const { role, tasks, sessions } = MEMBERS[name];
      let member = this.members[name];
      const row = snapshot.get(`users/${member.user.id}`);
      if (!row) {
        member = this.members[name] = await signedInMember(name);
        this.names.set(member.user.id, name);
        if (name === "owner") this.ownerJwt = await accessTokenFor(member.user);
        snapshot = await snapshotDatabase(); // the counts below are of the new user
        repaired = true;
      } else if (row.detail !== `${role} false`) {
        await db.user.update({
          where: { id: member.user.id },
          data: { role, banned: false, banReason: null, banExpires: null },
        });
        repaired = true;
      }
      if (!snapshot.has(`sessions/${member.sessionId}`)) {
        const session = await signIn(member.user);
        this.members[name] = { ...member, cookie: session.headers, sessionId: session.sessionId };
        repaired = true;
      }
      for (let i = rowsOf(snapshot, "sessions", member.user.id).length; i < sessions; i++) {
        await signIn(member.user);
        repaired = true;
      }
      const missingTasks = tasks - rowsOf(snapshot, "tasks", member.user.id).length;
      if (missingTasks > 0) {
        await db.task.createMany({
          data: Array.from({ length: missingTasks }, (_, i) => ({
            title: `${name}'s task ${i}`,
            userId: member.user.id,
          })),
        });
        repaired = true;
      }
    }
    if (await this.renewExpiringTokens(snapshot)) repaired = true;
    if (repaired) snapshot = await snapshotDatabase();
    this.current = snapshot;
    return snapshot;
  }

  /** The snapshot taken after a call: what the next `prepare` starts from. */
  remember(snapshot: Snapshot): void {
    this.last = snapshot;
  }

  /** Forget the remembered snapshot (anything else may have written since). */
  forget(): void {
    this.last = null;
  }

  /** Replaces fixture references at the top level of an input with the values they name in the prepared state. */
  resolve(input: unknown): unknown {
    if (input instanceof FixtureRef) return input.resolve(this, this.current);
    if (typeof input !== "object" || input === null) return input;
    const prototype: unknown = Object.getPrototypeOf(input);
    if (prototype !== Object.prototype && prototype !== null) return input; // fc.record also makes null-prototype objects
    return Object.fromEntries(
      Object.entries(input).map(([key, value]) => [
        key,
        value instanceof FixtureRef ? value.resolve(this, this.current) : value,
      ]),
    );
  }

  /** Calls `path` as `kind` through a context built from request headers, exactly as an HTTP request would. */
  async call(kind: CallerKind, path: string, input: unknown): Promise<CallOutcome> {
    try {
      const caller = await callerWithHeaders(this.headersOf(kind));
      return { ok: true, value: await procedureAt(caller, path)(input) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  headersOf(kind: CallerKind): Headers {
    switch (kind) {
      case "anonymous":
        return new Headers();
      case "ownerJwt":
        return new Headers({ authorization: `Bearer ${this.ownerJwt}` });
      case "deletedUserJwt":
        return new Headers({ authorization: `Bearer ${this.deletedUser.jwt}` });
      default:
        return new Headers(this.members[kind].cookie);
    }
  }
}

/** A mail the outbox gave up, for admins to retry (`mail.retry`); one run's retry makes it sent, later ones NOT_FOUND. */
export const GIVEN_UP_MAIL = {
  id: "01900000-0000-7000-8000-0000000000a1",
  recipient: "fixture-given-up@example.com",
  template: "reset-password",
  subject: "Taskforge: reset your password",
  text: "A fixture mail.",
  html: "<p>A fixture mail.</p>",
  status: "failed",
  attempts: 8,
  lastError: "connect ECONNREFUSED",
};

/** A user who signed in, got a JWT, and was then deleted: the JWT stays valid until it expires. */
async function deletedUserWithJwt(): Promise<{ id: string; jwt: string }> {
  const gone = await createUser({ name: "Deleted User" });
  const jwt = await accessTokenFor(gone);
  // Used once first, so the deny list has answered for its session (access-token-revocation.ts); then the row goes
  // behind the app's back, as no deletion through the app does: the JWT stays valid, the account is gone.
  await callerWithHeaders(new Headers({ authorization: `Bearer ${jwt}` }));
  await db.user.delete({ where: { id: gone.id } });
  return { id: gone.id, jwt };
}

async function signedInMember(name: Member): Promise<SignedIn> {
  const user = await createUser({ role: MEMBERS[name].role, name: `Fixture ${name}` });
  const session = await signIn(user);
  return { user, cookie: session.headers, sessionId: session.sessionId };
}

/**
 * A value an input generator cannot know (a real task id, the version it is at, a session id), named when the
 * input is generated and looked up just before the call. Prints as its description in counterexamples.
 */
export class FixtureRef {
  constructor(
    private readonly description: string,
    readonly resolve: (fixtures: CallerFixtures, snapshot: Snapshot) => unknown,
  ) {}

  [fc.toStringMethod](): string {
    return `<${this.description}>`;
  }
}

const pick = <T>(items: T[], index: number): T | undefined => items[index % Math.max(items.length, 1)];

export const fixture = {
  userId: (who: FixtureName) => new FixtureRef(`id of ${who}`, (fixtures) => fixtures.userIdOf(who)),
  /** The id of one of `who`'s tasks, or its version plus `delta` (0: current, -1: stale, 1: not yet). */
  taskId: (who: Member, index: number) =>
    new FixtureRef(`id of ${who}'s task #${index}`, (fixtures, snapshot) => {
      const userId = fixtures.userIdOf(who) ?? "";
      return pick(rowsOf(snapshot, "tasks", userId), index)?.id ?? "00000000-0000-7000-8000-000000000000";
    }),
  taskVersion: (who: Member, index: number, delta: number) =>
    new FixtureRef(`version of ${who}'s task #${index} ${delta >= 0 ? "+" : ""}${delta}`, (fixtures, snapshot) => {
      const userId = fixtures.userIdOf(who) ?? "";
      return Number(pick(rowsOf(snapshot, "tasks", userId), index)?.detail ?? 1) + delta;
    }),
  sessionId: (who: Member, index: number) =>
    new FixtureRef(`id of ${who}'s session #${index}`, (fixtures, snapshot) => {
      const userId = fixtures.userIdOf(who) ?? "";
      return pick(rowsOf(snapshot, "sessions", userId), index)?.id ?? "no-such-session";
    }),
};
