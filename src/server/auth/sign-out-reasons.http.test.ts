// A device signed out without choosing to is told why on the sign-in page (signOutReason reads its cookie): signed out
// from another device, everywhere, by a password change, by a ban, or expired. Nobody else learns anything: not a
// browser without the cookie, nor one with a forged or doubled cookie, nor the device that signed itself out.
import { createHmac } from "node:crypto";
import { setTimeout } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { auth } from "@/server/auth";
import { signOutReason } from "@/server/auth/sessions";
import { db } from "@/server/db";
import { createTestCaller, callerWithHeaders, createUser, signIn, STRONG_PASSWORD } from "@/test/fixtures";
import { appSessionCookieName } from "@/test/fixtures/sessions";
import { authRequest, nextClientIp } from "@/test/http";

/** Two devices of one user: `here` acts, `there` is the other one. */
async function twoDevices() {
  const user = await createUser();
  return { user, here: await signIn(user), there: await signIn(user) };
}

describe("why a device was signed out", () => {
  it("revoked from another device: that device is told, the one that revoked it is still signed in", async () => {
    const { here, there } = await twoDevices();
    const caller = await callerWithHeaders(here.headers);
    await caller.session.revoke({ id: there.sessionId });
    expect(await signOutReason(there.headers)).toBe("signed-out-remotely");
    expect(await signOutReason(here.headers)).toBeNull();
  });

  it("“sign out other devices” and Better Auth's own revoke endpoint tell the other devices the same", async () => {
    const { here, there } = await twoDevices();
    await (await callerWithHeaders(here.headers)).session.revokeOthers();
    expect(await signOutReason(there.headers)).toBe("signed-out-remotely");

    const { here: a, there: b } = await twoDevices();
    const response = await authRequest("/revoke-session", {
      body: { token: b.token },
      headers: { cookie: a.cookie.header },
      ip: nextClientIp(),
    });
    expect(response.status).toBe(200);
    expect(await signOutReason(b.headers)).toBe("signed-out-remotely");
  });

  it("signed out everywhere: every device is told, this one included", async () => {
    const { here, there } = await twoDevices();
    await (await callerWithHeaders(here.headers)).session.revokeAll();
    expect(await signOutReason(there.headers)).toBe("signed-out-everywhere");
    expect(await signOutReason(here.headers)).toBe("signed-out-everywhere");
  });

  it("a password change tells the other devices it was the password", async () => {
    const { here, there } = await twoDevices();
    const response = await authRequest("/change-password", {
      body: { currentPassword: STRONG_PASSWORD, newPassword: "a-new-and-long-harbour-61", revokeOtherSessions: true },
      headers: { cookie: here.cookie.header },
      ip: nextClientIp(),
    });
    expect(response.status).toBe(200);
    expect(await signOutReason(there.headers)).toBe("password-changed");
  });

  it("a ban tells the banned user's devices", async () => {
    const { user, there } = await twoDevices();
    const admin = await createTestCaller(await createUser({ role: "admin" }));
    await admin.user.ban({ userId: user.id, reason: "spam" });
    expect(await signOutReason(there.headers)).toBe("banned");
  });

  it("an expired session says so, before and after Better Auth has cleared it", async () => {
    const { there } = await twoDevices();
    // Through Better Auth's adapter, so a copy in Redis (when configured) expires with it, then past that moment.
    const expiresAt = new Date(Date.now() + 2000);
    await (await auth.$context).internalAdapter.updateSession(there.token, { expiresAt });
    await setTimeout(expiresAt.getTime() - Date.now() + 500);
    expect(await signOutReason(there.headers)).toBe("expired");
    const lookup = await authRequest("/get-session", { method: "GET", headers: { cookie: there.cookie.header } });
    expect(await lookup.json()).toBeNull();
    expect(await db.session.count({ where: { id: there.sessionId } })).toBe(0);
    expect(await signOutReason(there.headers)).toBe("expired");
  });

  it("a device that signed itself out is told nothing: it knows", async () => {
    const { here } = await twoDevices();
    const response = await authRequest("/sign-out", { body: {}, headers: { cookie: here.cookie.header } });
    expect(response.status).toBe(200);
    expect(await signOutReason(here.headers)).toBeNull();
  });

  it("reveals nothing without the signed cookie: none, a forged signature, two cookies, a live session", async () => {
    const { user, here, there } = await twoDevices();
    await (await callerWithHeaders(here.headers)).session.revoke({ id: there.sessionId });
    const name = await appSessionCookieName();
    const forged = `${there.token}.${createHmac("sha256", "not-our-secret-0123456789abcdef").update(there.token).digest("base64")}`;

    expect(await signOutReason(new Headers())).toBeNull();
    expect(await signOutReason(new Headers({ cookie: `${name}=${encodeURIComponent(forged)}` }))).toBeNull();
    expect(await signOutReason(new Headers({ cookie: `${name}=${there.token}` }))).toBeNull();
    expect(await signOutReason(new Headers({ cookie: `${there.cookie.header}; ${here.cookie.header}` }))).toBeNull();
    expect(await signOutReason(here.headers)).toBeNull();
    // The reason is stored under a hash of the token, never the token itself.
    const rows = await db.signedOutSession.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(there.token);
  });
});
