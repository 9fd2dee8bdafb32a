import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { codeOf, createTestCaller, createUser } from "@/test/helpers";

describe("user.authEvents", () => {
  it("pages through the caller's own events, newest first", async () => {
    const user = await createUser();
    const other = await createUser();
    for (let i = 0; i < 4; i++) await db.authEvent.create({ data: { type: "sign-in", userId: user.id, detail: { i } } });
    await db.authEvent.create({ data: { type: "sign-in", userId: other.id } });
    const caller = await createTestCaller(user);
    const first = await caller.user.authEvents({ limit: 3 });
    const second = await caller.user.authEvents({ limit: 3, cursor: first.nextCursor ?? undefined });
    const all = [...first.items, ...second.items];
    expect(all).toHaveLength(5); // four sign-ins and the sign-up
    expect(all.map((event) => event.createdAt.getTime())).toEqual(
      [...all].map((event) => event.createdAt.getTime()).sort((a, b) => b - a),
    );
    expect(Object.keys(all[0] ?? {}).sort()).toEqual(["createdAt", "detail", "id", "ip", "type", "userAgent"]);
  });
});

describe("user.authEventsOf", () => {
  it("lets an admin read any user's events; FORBIDDEN for users", async () => {
    const target = await createUser();
    const admin = await createTestCaller(await createUser({ role: "admin" }));
    await admin.user.ban({ userId: target.id, reason: "spam" });
    await admin.user.unban({ userId: target.id });
    await admin.user.setRole({ userId: target.id, role: "admin" });
    const types = (await admin.user.authEventsOf({ userId: target.id })).items.map((event) => event.type);
    expect(types.sort()).toEqual(["banned", "role-changed", "sign-up", "unbanned"]);
    const someone = await createTestCaller(await createUser());
    expect(await codeOf(someone.user.authEventsOf({ userId: target.id }))).toBe("FORBIDDEN");
  });
});
