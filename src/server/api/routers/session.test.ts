import { describe, expect, it } from "vitest";
import { describeDevice } from "@/server/device";
import { db } from "@/server/db";
import { callerWithHeaders, codeOf, createTestCaller, createUser, signIn } from "@/test/fixtures";

const FIREFOX_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0";

describe("session.list", () => {
  it("lists the user's own sessions with device, IP and last seen, marking the current one", async () => {
    const user = await createUser();
    const current = await signIn(user);
    const other = await signIn(user);
    await db.session.update({
      where: { token: other.token },
      data: { userAgent: FIREFOX_MAC, ipAddress: "198.51.100.7" },
    });
    await signIn(await createUser()); // someone else's

    const sessions = await (await callerWithHeaders(current.headers)).session.list();
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((session) => session.current)).toHaveLength(1);
    expect(sessions.find((session) => !session.current)).toMatchObject({
      device: "Firefox 133 on macOS 14.5",
      ipAddress: "198.51.100.7",
      lastSeenAt: expect.any(Date),
    });
    expect(JSON.stringify(sessions)).not.toContain(current.token);
  });

  it("is UNAUTHORIZED for an anonymous caller", async () => {
    expect(await codeOf((await createTestCaller(null)).session.list())).toBe("UNAUTHORIZED");
  });
});

describe("session.revoke", () => {
  it("signs out the chosen session from its very next request", async () => {
    const user = await createUser();
    const mine = await signIn(user);
    const other = await signIn(user);
    const caller = await callerWithHeaders(mine.headers);
    const target = (await caller.session.list()).find((session) => !session.current);
    expect(await caller.session.revoke({ id: target?.id ?? "" })).toEqual({ id: target?.id });
    expect(await codeOf((await callerWithHeaders(other.headers)).user.me())).toBe("UNAUTHORIZED");
    expect(await codeOf((await callerWithHeaders(mine.headers)).user.me())).toBe("OK");
  });

  it("another user's session is NOT_FOUND and stays signed in", async () => {
    const victim = await signIn(await createUser());
    const victimSession = await db.session.findUniqueOrThrow({ where: { token: victim.token } });
    const attacker = await createTestCaller(await createUser());
    expect(await codeOf(attacker.session.revoke({ id: victimSession.id }))).toBe("NOT_FOUND");
    expect(await codeOf((await callerWithHeaders(victim.headers)).user.me())).toBe("OK");
  });
});

describe("session.revokeOthers and session.revokeAll", () => {
  it("revokeOthers keeps only the current session", async () => {
    const user = await createUser();
    const mine = await signIn(user);
    const others = [await signIn(user), await signIn(user)];
    expect(await (await callerWithHeaders(mine.headers)).session.revokeOthers()).toEqual({ count: 2 });
    for (const other of others)
      expect(await codeOf((await callerWithHeaders(other.headers)).user.me())).toBe("UNAUTHORIZED");
    expect(await codeOf((await callerWithHeaders(mine.headers)).user.me())).toBe("OK");
    expect(await db.authEvent.count({ where: { userId: user.id, type: "session-revoked" } })).toBe(1);
  });

  it("revokeAll signs out everywhere, this device included", async () => {
    const user = await createUser();
    const mine = await signIn(user);
    await signIn(user);
    expect(await (await callerWithHeaders(mine.headers)).session.revokeAll()).toEqual({ count: 2 });
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    expect(await codeOf((await callerWithHeaders(mine.headers)).user.me())).toBe("UNAUTHORIZED");
  });
});

describe("describeDevice", () => {
  it("names browser and system, and copes with no user agent", () => {
    expect(describeDevice(FIREFOX_MAC)).toBe("Firefox 133 on macOS 14.5");
    expect(
      describeDevice(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
      ),
    ).toBe("Chrome 142 on Windows 10");
    expect(
      describeDevice(
        "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Mobile Safari/537.36",
      ),
    ).toBe("Chrome 141 on Android 14");
    expect(describeDevice(null)).toBe("Unknown device");
  });
});
