// Device authorization (RFC 8628) for the command line: a code asked for by the CLI, approved in the browser by a signed-in,
// fresh session, gives the CLI one session token; every rule of device-authorization.ts against the real handler.
import { describe, expect, it } from "vitest";
import { CLI_CLIENT_ID } from "@/lib/device-authorization";
import { db } from "@/server/db";
import { createUser, signIn, type TestUser } from "@/test/fixtures";
import { enrolSecondFactor, passwordStep } from "@/test/fixtures/second-factor";
import { authRequest, nextClientIp, trpcRequest } from "@/test/http";

const GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
const ELEVEN_MINUTES_AGO = () => new Date(Date.now() - 11 * 60 * 1000);

type Issued = { device_code: string; user_code: string; verification_uri: string; verification_uri_complete: string };

async function requestCode(body: Record<string, unknown> = { client_id: CLI_CLIENT_ID }) {
  return authRequest("/device/code", { body, ip: nextClientIp() });
}

async function issued(): Promise<Issued> {
  const response = await requestCode();
  expect(response.status).toBe(200);
  return (await response.json()) as Issued;
}

const poll = (deviceCode: string, clientId = CLI_CLIENT_ID) =>
  authRequest("/device/token", {
    body: { grant_type: GRANT_TYPE, device_code: deviceCode, client_id: clientId },
    ip: nextClientIp(),
  });

/** Opens the code signed in, as the /device page does (which binds it to that person), then approves or denies. */
async function decide(cookie: string, userCode: string, decision: "approve" | "deny") {
  const ip = nextClientIp();
  const opened = await authRequest(`/device?user_code=${encodeURIComponent(userCode)}`, { headers: { cookie }, ip });
  expect(opened.status).toBe(200);
  return authRequest(`/device/${decision}`, { body: { userCode }, headers: { cookie }, ip });
}

/** The next poll may be refused as too early (5 s apart): forget when the code was last polled. */
const allowNextPoll = (deviceCode: string) =>
  db.deviceCode.update({ where: { deviceCode }, data: { lastPolledAt: null } });

async function signedInCookie(user: TestUser, options: { signedInAt?: Date } = {}) {
  return (await signIn(user, options)).headers.get("cookie") ?? "";
}

const meWith = (token: string) => trpcRequest("user.me", { headers: { authorization: `Bearer ${token}` } });

describe("the device flow", () => {
  it("gives the CLI a session token once a signed-in, fresh person approves the code", async () => {
    const user = await createUser();
    const code = await issued();
    expect(code.user_code).toMatch(/^[A-Z2-9]{8}$/);
    expect(new URL(code.verification_uri).pathname).toBe("/device");
    expect(new URL(code.verification_uri_complete).searchParams.get("user_code")).toBe(code.user_code);

    const pending = await poll(code.device_code);
    expect(pending.status).toBe(400);
    expect(await pending.json()).toMatchObject({ error: "authorization_pending" });

    // Typed in lower case with a dash, as a person might.
    const typed = `${code.user_code.slice(0, 4)}-${code.user_code.slice(4)}`.toLowerCase();
    expect((await decide(await signedInCookie(user), typed, "approve")).status).toBe(200);
    await allowNextPoll(code.device_code);
    const granted = await poll(code.device_code);
    expect(granted.status).toBe(200);
    const { access_token: token } = (await granted.json()) as { access_token: string };
    const me = await meWith(token);
    expect(me.status).toBe(200);
    expect(await me.text()).toContain(user.email);
    // Audited: the approval with its client, the sign-in with its method.
    const events = await db.authEvent.findMany({ where: { userId: user.id }, select: { type: true, detail: true } });
    expect(events).toContainEqual({ type: "device-approved", detail: { clientId: CLI_CLIENT_ID } });
    expect(events).toContainEqual({ type: "sign-in", detail: { method: "device" } });
  });

  it("gives one session per code: a second poll after the token is refused", async () => {
    const user = await createUser();
    const code = await issued();
    await decide(await signedInCookie(user), code.user_code, "approve");
    await allowNextPoll(code.device_code);
    expect((await poll(code.device_code)).status).toBe(200);
    const again = await poll(code.device_code);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_grant" });
    expect(await db.session.count({ where: { userId: user.id } })).toBe(2); // the browser's and the CLI's
  });

  it("answers slow_down to a client that polls faster than every 5 s", async () => {
    const code = await issued();
    expect(await (await poll(code.device_code)).json()).toMatchObject({ error: "authorization_pending" });
    expect(await (await poll(code.device_code)).json()).toMatchObject({ error: "slow_down" });
  });

  it("denied: the CLI is told access_denied, and the code is gone", async () => {
    const user = await createUser();
    const code = await issued();
    expect((await decide(await signedInCookie(user), code.user_code, "deny")).status).toBe(200);
    expect(await (await poll(code.device_code)).json()).toMatchObject({ error: "access_denied" });
    await allowNextPoll(code.device_code).catch(() => undefined);
    expect(await (await poll(code.device_code)).json()).toMatchObject({ error: "invalid_grant" });
    const events = await db.authEvent.findMany({ where: { userId: user.id, type: "device-denied" } });
    expect(events).toHaveLength(1);
  });

  it("expires after 10 minutes: neither approved nor polled", async () => {
    const user = await createUser();
    const code = await issued();
    const expiresAt = (await db.deviceCode.findUniqueOrThrow({ where: { deviceCode: code.device_code } })).expiresAt;
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(9 * 60 * 1000);
    expect(expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(10 * 60 * 1000);
    await db.deviceCode.update({
      where: { deviceCode: code.device_code },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const cookie = await signedInCookie(user);
    const opened = await authRequest(`/device?user_code=${code.user_code}`, {
      headers: { cookie },
      ip: nextClientIp(),
    });
    expect(await opened.json()).toMatchObject({ error: "expired_token" });
    expect(await (await poll(code.device_code)).json()).toMatchObject({ error: "expired_token" });
  });
});

describe("who may ask and who may approve", () => {
  it("only the CLI's client id gets a code, and only it can redeem one", async () => {
    const refused = await requestCode({ client_id: "someone-else" });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: "invalid_client" });
    const code = await issued();
    expect(await (await poll(code.device_code, "someone-else")).json()).toMatchObject({ error: "invalid_client" });
  });

  it("a client cannot bind a code to a user of its choosing (user_id), in JSON or as a form", async () => {
    const victim = await createUser();
    const before = await db.deviceCode.count();
    const json = await requestCode({ client_id: CLI_CLIENT_ID, user_id: victim.id });
    expect(json.status).toBe(400);
    const form = await fetchForm(`client_id=${CLI_CLIENT_ID}&user_id=${victim.id}`);
    expect(form.status).toBe(400);
    expect(await db.deviceCode.count()).toBe(before);
  });

  it("a session signed in more than 10 minutes ago cannot approve (FRESH_SESSION_REQUIRED), and can deny", async () => {
    const user = await createUser();
    const cookie = await signedInCookie(user, { signedInAt: ELEVEN_MINUTES_AGO() });
    const code = await issued();
    const approve = await decide(cookie, code.user_code, "approve");
    expect(approve.status).toBe(403);
    expect(await approve.json()).toMatchObject({ code: "FRESH_SESSION_REQUIRED" });
    expect((await db.deviceCode.findUniqueOrThrow({ where: { deviceCode: code.device_code } })).status).toBe("pending");
    expect(
      (await authRequest("/device/deny", { body: { userCode: code.user_code }, headers: { cookie } })).status,
    ).toBe(200);
  });

  it("nobody signed out, and nobody halfway through a sign-in with a second factor, can approve", async () => {
    const code = await issued();
    const signedOut = await authRequest("/device/approve", { body: { userCode: code.user_code }, ip: nextClientIp() });
    expect(signedOut.status).toBe(401);
    const user = await createUser();
    await enrolSecondFactor(user);
    const half = await passwordStep(user);
    expect(half.body).toMatchObject({ twoFactorRedirect: true });
    expect(
      (await authRequest(`/device?user_code=${code.user_code}`, { headers: { cookie: half.cookie } })).status,
    ).toBe(200);
    const approve = await authRequest("/device/approve", {
      body: { userCode: code.user_code },
      headers: { cookie: half.cookie },
      ip: nextClientIp(),
    });
    expect(approve.status).toBe(401);
    expect((await db.deviceCode.findUniqueOrThrow({ where: { deviceCode: code.device_code } })).userId).toBeNull();
  });

  it("a code opened by one person cannot be approved by another", async () => {
    const [owner, other] = [await createUser(), await createUser()];
    const code = await issued();
    await authRequest(`/device?user_code=${code.user_code}`, {
      headers: { cookie: await signedInCookie(owner) },
      ip: nextClientIp(),
    });
    const approve = await decide(await signedInCookie(other), code.user_code, "approve");
    expect(approve.status).toBe(403);
    expect((await db.deviceCode.findUniqueOrThrow({ where: { deviceCode: code.device_code } })).status).toBe("pending");
  });

  it("an account with a second factor, approved from a full session, is not stopped at the code step", async () => {
    const user = await createUser();
    const enrolled = await enrolSecondFactor(user);
    const code = await issued();
    expect((await decide(enrolled.headers.get("cookie") ?? "", code.user_code, "approve")).status).toBe(200);
    await allowNextPoll(code.device_code);
    const granted = await poll(code.device_code);
    expect(granted.status).toBe(200);
    const { access_token: token } = (await granted.json()) as { access_token: string };
    expect((await meWith(token)).status).toBe(200);
  });

  it("a banned user's approved code gives no session", async () => {
    const user = await createUser();
    const code = await issued();
    await decide(await signedInCookie(user), code.user_code, "approve");
    await db.user.update({ where: { id: user.id }, data: { banned: true } });
    await allowNextPoll(code.device_code);
    const granted = await poll(code.device_code);
    expect(granted.status).not.toBe(200);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1); // the browser's only
  });
});

describe("wrong user codes", () => {
  it("are refused, and past 10 in 10 minutes from one address answered 429 with Retry-After", async () => {
    const user = await createUser();
    const cookie = await signedInCookie(user);
    const ip = nextClientIp();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 12; i++) {
      const response = await authRequest(`/device?user_code=WRONG${i}ZZ`, { headers: { cookie }, ip });
      statuses.push(response.status);
      retryAfter ??= response.headers.get("retry-after");
    }
    expect(statuses.slice(0, 10).every((status) => status === 400)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

/** POST /api/auth/device/code as a form, as RFC 8628 clients send it. */
async function fetchForm(body: string): Promise<Response> {
  const { POST } = await import("@/app/api/auth/[...all]/route");
  return POST(
    new Request("http://localhost:3000/api/auth/device/code", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": nextClientIp() },
      body,
    }),
  );
}
