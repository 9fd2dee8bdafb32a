import { TRPCError } from "@trpc/server";
import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeCursor } from "@/server/api/pagination";
import { auth } from "@/server/auth";
import { revokeUserSessions } from "@/server/auth/sessions";
import { db } from "@/server/db";
import { callerWithHeaders, codeOf, createTestCaller, createUser, signIn, type TestUser } from "@/test/fixtures";
import { authRequest } from "@/test/http";

type Caller = Awaited<ReturnType<typeof createTestCaller>>;

let user: TestUser;
let admin: TestUser;
let userCaller: Caller;
let adminCaller: Caller;
let anonymous: Caller;

beforeAll(async () => {
  user = await createUser({ name: "Ada Lovelace" });
  admin = await createUser({ role: "admin", name: "Grace Hopper" });
  userCaller = await createTestCaller(user);
  adminCaller = await createTestCaller(admin);
  anonymous = await createTestCaller(null);
});

describe("user.me", () => {
  it("returns exactly the public profile fields", async () => {
    const me = await userCaller.user.me();
    expect(me).toEqual({
      id: user.id,
      email: user.email,
      name: "Ada Lovelace",
      role: "user",
      emailVerified: true,
      twoFactorEnabled: false,
      createdAt: expect.any(Date),
    });
  });

  it("is UNAUTHORIZED without a session, and with a revoked one", async () => {
    expect(await codeOf(anonymous.user.me())).toBe("UNAUTHORIZED");
    const someone = await createUser();
    const { headers } = await signIn(someone);
    await revokeUserSessions(someone.id, "banned");
    expect(await codeOf((await callerWithHeaders(headers)).user.me())).toBe("UNAUTHORIZED");
  });
});

describe("user.updateProfile", () => {
  it("renames the user, trimmed, and returns the profile", async () => {
    const someone = await createUser();
    const caller = await createTestCaller(someone);
    expect(await caller.user.updateProfile({ name: "  New Name " })).toMatchObject({
      id: someone.id,
      name: "New Name",
    });
  });

  it("refuses role or other unknown fields and changes nothing", async () => {
    const someone = await createUser({ name: "Before" });
    const caller = await createTestCaller(someone);
    expect(await codeOf(caller.user.updateProfile({ name: "After", role: "admin" } as never))).toBe("BAD_REQUEST");
    expect(await caller.user.me()).toMatchObject({ name: "Before", role: "user" });
  });

  it("refuses an empty, over-long or multi-line name with field errors", async () => {
    const error = (await userCaller.user.updateProfile({ name: "" }).catch((e: unknown) => e)) as TRPCError;
    expect(error.code).toBe("BAD_REQUEST");
    expect(await codeOf(userCaller.user.updateProfile({ name: "x".repeat(101) }))).toBe("BAD_REQUEST");
    expect(await codeOf(userCaller.user.updateProfile({ name: "Ada\u0000" }))).toBe("BAD_REQUEST");
    for (const name of [
      "Carol.\n\nSECURITY ALERT https://evil.example/x",
      "Ada\u2028Lovelace",
      "Ada\tLovelace",
      "Ada\u202Eecalevol",
    ]) {
      expect(await codeOf(userCaller.user.updateProfile({ name })), JSON.stringify(name)).toBe("BAD_REQUEST");
    }
    expect(await codeOf(anonymous.user.updateProfile({ name: "x" }))).toBe("UNAUTHORIZED");
  });
});

describe("user.list", () => {
  it("is for admins only: FORBIDDEN for users, UNAUTHORIZED for anonymous", async () => {
    expect(await codeOf(userCaller.user.list())).toBe("FORBIDDEN");
    expect(await codeOf(anonymous.user.list())).toBe("UNAUTHORIZED");
  });

  it("searches by email or name, case-insensitively, and pages", async () => {
    const tag = `zebra${Date.now()}`;
    for (let i = 0; i < 5; i++) await createUser({ email: `${tag}-${i}@example.com` });
    await createUser({ name: `Mr ${tag.toUpperCase()}` });
    const first = await adminCaller.user.list({ search: tag, limit: 4 });
    expect(first.items).toHaveLength(4);
    const second = await adminCaller.user.list({ search: tag, limit: 4, cursor: first.nextCursor ?? undefined });
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    expect(first.items[0]).not.toHaveProperty("password");
    expect(Object.keys(first.items[0] ?? {}).sort()).toEqual(
      [
        "banExpires",
        "banReason",
        "banned",
        "createdAt",
        "email",
        "emailVerified",
        "id",
        "lastActiveAt",
        "name",
        "role",
        "twoFactorEnabled",
      ].sort(),
    );
  });

  it("filters banned users (or those not banned), and tells when each was last active", async () => {
    const tag = `okapi${Date.now()}`;
    const banned = await createUser({ name: `${tag} banned` });
    const active = await createUser({ name: `${tag} active` });
    await adminCaller.user.ban({ userId: banned.id, reason: "spam" });
    await signIn(active);
    const names = async (filter: boolean | undefined) =>
      (await adminCaller.user.list({ search: tag, banned: filter })).items.map((user) => user.name);
    expect(await names(true)).toEqual([`${tag} banned`]);
    expect(await names(false)).toEqual([`${tag} active`]);
    const items = (await adminCaller.user.list({ search: tag })).items;
    // The ban ended the banned user's sessions: no activity left to tell; the other's session is.
    expect(items.find((user) => user.id === banned.id)?.lastActiveAt).toBeNull();
    expect(items.find((user) => user.id === active.id)?.lastActiveAt).toBeInstanceOf(Date);
  });

  it("searches for %, _ and \\ as the characters themselves, not as LIKE wildcards", async () => {
    const tag = `pct${Date.now()}`;
    const percent = await createUser({ name: `${tag} 100% sure` });
    const underscore = await createUser({ email: `${tag}_x@example.com` });
    const backslash = await createUser({ name: `${tag} back\\slash` });
    const plain = await createUser({ name: `${tag} plain`, email: `${tag}-yx@example.com` });
    const found = async (search: string) =>
      (await adminCaller.user.list({ search, limit: 100 })).items.map((u) => u.id).sort();
    expect(await found("%")).toContain(percent.id);
    expect(await found("%")).not.toContain(plain.id);
    expect(await found(`${tag}_`)).toEqual([underscore.id]);
    expect(await found("k\\s")).toEqual([backslash.id]);
    expect(await found(`${tag} plain`)).toEqual([plain.id]);
  });

  it("refuses a limit over 100, a NUL in the search, and a cursor with a NUL in its id", async () => {
    expect(await codeOf(adminCaller.user.list({ limit: 101 }))).toBe("BAD_REQUEST");
    expect(await codeOf(adminCaller.user.list({ search: "a\u0000" }))).toBe("BAD_REQUEST");
    const cursor = encodeCursor({ createdAt: new Date(), id: "x\u0000" });
    expect(await codeOf(adminCaller.user.list({ cursor }))).toBe("BAD_REQUEST");
  });
});

describe("user.setRole", () => {
  it("promotes a user, who becomes admin on the very next call", async () => {
    const someone = await createUser();
    const caller = await createTestCaller(someone);
    expect(await codeOf(caller.user.list())).toBe("FORBIDDEN");
    expect(await adminCaller.user.setRole({ userId: someone.id, role: "admin" })).toMatchObject({ role: "admin" });
    expect(await codeOf(caller.user.list())).toBe("OK");
    await adminCaller.user.setRole({ userId: someone.id, role: "user" });
    expect(await codeOf(caller.user.list())).toBe("FORBIDDEN");
  });

  it("the last admin cannot demote themself", async () => {
    await db.user.updateMany({ where: { role: "admin", id: { not: admin.id } }, data: { role: "user" } });
    expect(await codeOf(adminCaller.user.setRole({ userId: admin.id, role: "user" }))).toBe("PRECONDITION_FAILED");
    expect((await adminCaller.user.me()).role).toBe("admin");
  });

  it("a banned admin does not count: the last usable admin cannot step down", async () => {
    const banned = await createUser({ role: "admin" });
    const last = await createUser({ role: "admin" });
    await db.user.updateMany({ where: { role: "admin", id: { notIn: [banned.id, last.id] } }, data: { role: "user" } });
    await db.user.update({ where: { id: banned.id }, data: { banned: true } });
    const caller = await createTestCaller(last);
    expect(await codeOf(caller.user.setRole({ userId: last.id, role: "user" }))).toBe("PRECONDITION_FAILED");
    expect((await db.user.findUniqueOrThrow({ where: { id: last.id } })).role).toBe("admin");
    await db.user.update({ where: { id: admin.id }, data: { role: "admin" } });
  });

  it("two admins demoting or banning each other at once leave one admin", async () => {
    for (const action of ["demote", "ban"] as const) {
      const [a, b] = [await createUser({ role: "admin" }), await createUser({ role: "admin" })];
      await db.user.updateMany({ where: { role: "admin", id: { notIn: [a.id, b.id] } }, data: { role: "user" } });
      const [callerA, callerB] = [await createTestCaller(a), await createTestCaller(b)];
      const act = (caller: Caller, target: TestUser) =>
        codeOf(
          action === "demote"
            ? caller.user.setRole({ userId: target.id, role: "user" })
            : caller.user.ban({ userId: target.id }),
        );
      const codes = await Promise.all([act(callerA, b), act(callerB, a)]);
      expect(codes.sort()).toEqual(["FORBIDDEN", "OK"]);
      const usable = await db.user.count({ where: { id: { in: [a.id, b.id] }, role: "admin", banned: false } });
      expect({ action, usable }).toEqual({ action, usable: 1 });
    }
    await db.user.update({ where: { id: admin.id }, data: { role: "admin" } });
  });

  it("an admin can step down while another admin remains", async () => {
    const other = await createUser({ role: "admin" });
    const caller = await createTestCaller(other);
    expect(await caller.user.setRole({ userId: other.id, role: "user" })).toMatchObject({ role: "user" });
  });

  it("is FORBIDDEN for users; unknown user is NOT_FOUND; bad role is BAD_REQUEST", async () => {
    expect(await codeOf(userCaller.user.setRole({ userId: user.id, role: "admin" }))).toBe("FORBIDDEN");
    expect((await userCaller.user.me()).role).toBe("user");
    expect(await codeOf(adminCaller.user.setRole({ userId: "nobody", role: "admin" }))).toBe("NOT_FOUND");
    expect(await codeOf(adminCaller.user.setRole({ userId: user.id, role: "owner" as never }))).toBe("BAD_REQUEST");
    expect(await codeOf(anonymous.user.setRole({ userId: user.id, role: "admin" }))).toBe("UNAUTHORIZED");
  });
});

describe("user.ban and user.unban", () => {
  it("a ban revokes every session at once; unban clears it", async () => {
    const someone = await createUser();
    const first = await signIn(someone);
    await signIn(someone);
    const banned = await adminCaller.user.ban({ userId: someone.id, reason: "spam" });
    expect(banned).toMatchObject({ banned: true, banReason: "spam", banExpires: null });
    expect(await db.session.count({ where: { userId: someone.id } })).toBe(0);
    const stale = await callerWithHeaders(first.headers);
    expect(await codeOf(stale.user.me())).toBe("UNAUTHORIZED");
    expect(await adminCaller.user.unban({ userId: someone.id })).toMatchObject({ banned: false, banReason: null });
  });

  it("a banned admin loses admin procedures even with a live context", async () => {
    const other = await createUser({ role: "admin" });
    const caller = await createTestCaller(other);
    await db.user.update({ where: { id: other.id }, data: { banned: true } });
    expect(await codeOf(caller.user.list())).toBe("FORBIDDEN");
  });

  it("takes an optional expiry in the future only", async () => {
    const someone = await createUser();
    const until = new Date(Date.now() + 3_600_000);
    expect(await adminCaller.user.ban({ userId: someone.id, expiresAt: until })).toMatchObject({ banExpires: until });
    expect(await codeOf(adminCaller.user.ban({ userId: someone.id, expiresAt: new Date(Date.now() - 1000) }))).toBe(
      "BAD_REQUEST",
    );
  });

  it("refuses self-bans, users, anonymous callers and unknown ids", async () => {
    expect(await codeOf(adminCaller.user.ban({ userId: admin.id }))).toBe("BAD_REQUEST");
    expect(await codeOf(userCaller.user.ban({ userId: admin.id }))).toBe("FORBIDDEN");
    expect(await codeOf(userCaller.user.unban({ userId: user.id }))).toBe("FORBIDDEN");
    expect(await codeOf(anonymous.user.ban({ userId: user.id }))).toBe("UNAUTHORIZED");
    expect(await codeOf(adminCaller.user.ban({ userId: "nobody" }))).toBe("NOT_FOUND");
    expect(await codeOf(adminCaller.user.unban({ userId: "nobody" }))).toBe("NOT_FOUND");
  });
});

describe.skipIf(!process.env.REDIS_URL)("users' copies in Redis-cached sessions", () => {
  it("follow a role change and a rename at once: the next JWT carries the new role and name", async () => {
    const someone = await createUser({ role: "admin" });
    const { headers } = await signIn(someone);
    const cookie = headers.get("cookie") ?? "";
    await adminCaller.user.setRole({ userId: someone.id, role: "user" });
    await (await callerWithHeaders(headers)).user.updateProfile({ name: "Renamed Person" });
    expect((await auth.api.getSession({ headers }))?.user).toMatchObject({ role: "user", name: "Renamed Person" });
    const { token } = (await (await authRequest("/token", { headers: { cookie } })).json()) as { token: string };
    expect(decodeJwt(token)).toMatchObject({ role: "user", name: "Renamed Person" });
  });
});
