import { describe, expect, it } from "vitest";
import { PASSWORD_FAILURE_LIMIT } from "@/server/auth/password-attempts";
import { db } from "@/server/db";
import { callerWithHeaders, codeOf, createTestCaller, createUser, signIn } from "@/test/fixtures";

describe("account.export", () => {
  it("returns the profile, tasks, sessions and audit events, and no hash or token", async () => {
    const user = await createUser();
    const { headers, token } = await signIn(user);
    const caller = await callerWithHeaders(headers);
    await caller.task.create({ title: "exported" });
    const data = await caller.account.export();
    expect(data.profile).toMatchObject({ id: user.id, email: user.email });
    expect(data.tasks.map((task) => task.title)).toEqual(["exported"]);
    expect(data.sessions).toHaveLength(1);
    expect(data.authEvents.map((event) => event.type)).toContain("sign-up");
    const text = JSON.stringify(data);
    expect(text).not.toContain(token);
    expect(text).not.toMatch(/argon2|password/i);
  });
});

describe("account.delete", () => {
  it("with the password, deletes the user, tasks and sessions, and is audited", async () => {
    const user = await createUser();
    const { headers } = await signIn(user);
    const caller = await callerWithHeaders(headers);
    await caller.task.create({ title: "goes too" });
    expect(await caller.account.delete({ password: user.password })).toEqual({ id: user.id });
    expect(await db.user.count({ where: { id: user.id } })).toBe(0);
    expect(await db.task.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    expect(await codeOf((await callerWithHeaders(headers)).user.me())).toBe("UNAUTHORIZED");
    const events = await db.authEvent.findMany({ where: { type: "account-deleted" } });
    expect(events.some((event) => (event.detail as { userId?: string }).userId === user.id)).toBe(true);
  });

  it("with a wrong password changes nothing, and wrong passwords are throttled like sign-ins", async () => {
    const user = await createUser();
    const caller = await createTestCaller(user);
    for (let i = 0; i < PASSWORD_FAILURE_LIMIT; i++) {
      expect(await codeOf(caller.account.delete({ password: "not-the-Password-77" }))).toBe("BAD_REQUEST");
    }
    expect(await codeOf(caller.account.delete({ password: user.password }))).toBe("TOO_MANY_REQUESTS");
    expect(await db.user.count({ where: { id: user.id } })).toBe(1);
  });

  it("without the password of an account that has one is BAD_REQUEST and changes nothing", async () => {
    const user = await createUser();
    const caller = await createTestCaller(user);
    expect(await codeOf(caller.account.delete({}))).toBe("BAD_REQUEST");
    expect(await db.user.count({ where: { id: user.id } })).toBe(1);
  });

  it("an account without a password (passkeys only) is deleted on a recent sign-in alone, not an old one", async () => {
    const user = await createUser();
    await db.account.updateMany({ where: { userId: user.id }, data: { password: null } });
    const stale = await callerWithHeaders(
      (await signIn(user, { signedInAt: new Date(Date.now() - 11 * 60_000) })).headers,
    );
    expect(await codeOf(stale.account.delete({}))).toBe("FORBIDDEN");
    expect(await db.user.count({ where: { id: user.id } })).toBe(1);
    const fresh = await createTestCaller(user);
    expect(await fresh.account.delete({})).toEqual({ id: user.id });
    expect(await db.user.count({ where: { id: user.id } })).toBe(0);
  });

  it("a parallel burst of wrong passwords gets no more than the limit of guesses", async () => {
    const user = await createUser();
    const caller = await createTestCaller(user);
    const codes = await Promise.all(
      Array.from({ length: 3 * PASSWORD_FAILURE_LIMIT }, () =>
        codeOf(caller.account.delete({ password: "not-the-Password-77" })),
      ),
    );
    expect(codes.filter((code) => code === "BAD_REQUEST")).toHaveLength(PASSWORD_FAILURE_LIMIT);
    expect(codes.filter((code) => code === "TOO_MANY_REQUESTS")).toHaveLength(2 * PASSWORD_FAILURE_LIMIT);
    expect(await codeOf(caller.account.delete({ password: user.password }))).toBe("TOO_MANY_REQUESTS");
    expect(await db.user.count({ where: { id: user.id } })).toBe(1);
  });

  it("the last usable admin cannot delete their account; with another admin they can", async () => {
    const admin = await createUser({ role: "admin" });
    await db.user.updateMany({ where: { role: "admin", id: { not: admin.id } }, data: { role: "user" } });
    const caller = await createTestCaller(admin);
    expect(await codeOf(caller.account.delete({ password: admin.password }))).toBe("PRECONDITION_FAILED");
    expect(await db.user.count({ where: { id: admin.id } })).toBe(1);
    expect(await codeOf(caller.user.me())).toBe("OK");

    await createUser({ role: "admin" });
    expect(await codeOf(caller.account.delete({ password: admin.password }))).toBe("OK");
    expect(await db.user.count({ where: { id: admin.id } })).toBe(0);
  });

  it("two admins deleting their accounts at once leave one usable admin", async () => {
    const admins = [await createUser({ role: "admin" }), await createUser({ role: "admin" })];
    await db.user.updateMany({
      where: { role: "admin", id: { notIn: admins.map((admin) => admin.id) } },
      data: { role: "user" },
    });
    const callers = await Promise.all(admins.map((admin) => createTestCaller(admin)));
    const codes = await Promise.all(
      callers.map((caller, i) => codeOf(caller.account.delete({ password: admins[i]?.password ?? "" }))),
    );
    expect(codes.sort()).toEqual(["OK", "PRECONDITION_FAILED"]);
    expect(await db.user.count({ where: { role: "admin", banned: false } })).toBe(1);
  });

  it("is UNAUTHORIZED for an anonymous caller", async () => {
    expect(await codeOf((await createTestCaller(null)).account.delete({ password: "x" }))).toBe("UNAUTHORIZED");
  });
});
