import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { CLIENT_IP_HEADER } from "@/server/http/client-ip";
import { callerWithHeaders, codeOf, createTestCaller, createUser, signIn } from "@/test/fixtures";
import { BASE_URL } from "@/test/http";

describe("user.authEvents", () => {
  it("pages through the caller's own events, newest first", async () => {
    const user = await createUser();
    const other = await createUser();
    for (let i = 0; i < 4; i++)
      await db.authEvent.create({ data: { type: "sign-in", userId: user.id, detail: { i } } });
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

  it("names the administrator who acted, for admins; the user's own list does not", async () => {
    const target = await createUser();
    const admin = await createTestCaller(await createUser({ role: "admin", name: "Morgan Admin" }));
    await admin.user.setRole({ userId: target.id, role: "admin" });
    const events = (await admin.user.authEventsOf({ userId: target.id })).items;
    expect(events.map((event) => [event.type, event.actorName])).toEqual([
      ["role-changed", "Morgan Admin"],
      ["sign-up", null],
    ]);
    const own = (await (await createTestCaller(target)).user.authEvents()).items;
    expect(own.every((event) => !("actorName" in event))).toBe(true);
  });
});

describe("the address in an audit event", () => {
  it("comes from X-Forwarded-For within the trusted hops, never from a client-sent x-client-ip", async () => {
    const admin = await createUser({ role: "admin" });
    const target = await createUser();
    const headers = (await signIn(admin)).headers;
    headers.set("origin", BASE_URL);
    headers.set("x-forwarded-for", "198.51.100.77");
    headers.set(CLIENT_IP_HEADER, "203.0.113.250");
    const caller = await callerWithHeaders(headers);
    await caller.user.ban({ userId: target.id, reason: "spam" });
    await caller.session.revokeOthers();
    const events = await db.authEvent.findMany({
      where: { type: { in: ["banned", "session-revoked"] }, userId: { in: [admin.id, target.id] } },
    });
    expect(events.map((event) => event.ip)).toEqual(["198.51.100.77", "198.51.100.77"]);
  });
});
