// Every way a session ends refuses its access tokens (JWTs) from the next call, through the app's real endpoints and
// procedures; and a JWT call that the deny list answers sends nothing to the database.
import { describe, expect, it } from "vitest";
import { createTRPCContext } from "@/server/api/context";
import { tokenRevocation } from "@/server/auth/access-token-revocation";
import { callerWithHeaders, createUser, type SignedIn, signIn, type TestUser } from "@/test/fixtures";
import { callWithBearer, mintAccessToken } from "@/test/fixtures/tokens";
import { authRequest, BASE_URL, nextClientIp } from "@/test/http";
import { linkIn, mailTo } from "@/test/mailbox";
import { statementsDuring } from "@/test/statement-counter";

const NEW_PASSWORD = "velvet-Lantern-orbit-204";

/** A session of `user` and a JWT minted from it, checked to work before the event under test. */
async function signedInWithJwt(user: TestUser): Promise<SignedIn & { jwt: string }> {
  const session = await signIn(user);
  const jwt = await mintAccessToken(session.signedToken);
  expect(await callWithBearer(jwt, "user.me")).toEqual({ status: 200, code: "OK" });
  return { ...session, jwt };
}

const refused = { status: 401, code: "UNAUTHORIZED" };

/** Who the API takes the caller to be (null: nobody), whatever a procedure would then need. */
async function callerOf(jwt: string) {
  return (await createTRPCContext({ headers: new Headers({ authorization: `Bearer ${jwt}` }) })).session;
}

describe("a session's end refuses its JWTs at once", () => {
  it("sign-out", async () => {
    const session = await signedInWithJwt(await createUser());
    const signOut = await authRequest("/sign-out", {
      body: {},
      headers: { authorization: `Bearer ${session.signedToken}` },
      ip: nextClientIp(),
    });
    expect(signOut.status).toBe(200);
    expect(await callWithBearer(session.jwt, "user.me")).toEqual(refused);
  });

  it("a session revoked from another one (session.revoke); the other's JWT still works", async () => {
    const user = await createUser();
    const [acting, target] = [await signedInWithJwt(user), await signedInWithJwt(user)];
    await (await callerWithHeaders(acting.headers)).session.revoke({ id: target.sessionId });
    expect(await callWithBearer(target.jwt, "user.me")).toEqual(refused);
    expect((await callWithBearer(acting.jwt, "user.me")).code).toBe("OK");
  });

  it("the other sessions signed out (session.revokeOthers)", async () => {
    const user = await createUser();
    const [acting, other] = [await signedInWithJwt(user), await signedInWithJwt(user)];
    await (await callerWithHeaders(acting.headers)).session.revokeOthers();
    expect(await callWithBearer(other.jwt, "user.me")).toEqual(refused);
    expect((await callWithBearer(acting.jwt, "user.me")).code).toBe("OK");
  });

  it("sign-out everywhere (session.revokeAll)", async () => {
    const user = await createUser();
    const [acting, other] = [await signedInWithJwt(user), await signedInWithJwt(user)];
    await (await callerWithHeaders(acting.headers)).session.revokeAll();
    expect(await callWithBearer(acting.jwt, "user.me")).toEqual(refused);
    expect(await callWithBearer(other.jwt, "user.me")).toEqual(refused);
  });

  it("a ban (user.ban)", async () => {
    const admin = await callerWithHeaders((await signIn(await createUser({ role: "admin" }))).headers);
    const user = await createUser();
    const session = await signedInWithJwt(user);
    await admin.user.ban({ userId: user.id, reason: "test" });
    expect(await callWithBearer(session.jwt, "user.me")).toEqual(refused);
  });

  it("a password change signs out the other sessions", async () => {
    const user = await createUser();
    const [acting, other] = [await signedInWithJwt(user), await signedInWithJwt(user)];
    const changed = await authRequest("/change-password", {
      body: { currentPassword: user.password, newPassword: NEW_PASSWORD, revokeOtherSessions: true },
      headers: { authorization: `Bearer ${acting.signedToken}` },
      ip: nextClientIp(),
    });
    expect(changed.status).toBe(200);
    expect(await callWithBearer(other.jwt, "user.me")).toEqual(refused);
  });

  it("a password reset", async () => {
    const user = await createUser();
    const session = await signedInWithJwt(user);
    await authRequest("/request-password-reset", {
      body: { email: user.email, redirectTo: "/reset-password" },
      ip: nextClientIp(),
    });
    const link = linkIn(await mailTo(user.email, /reset your password/), `${BASE_URL}/api/auth/reset-password/`);
    const token = new URL(link).pathname.split("/").pop() ?? "";
    const reset = await authRequest("/reset-password", {
      body: { newPassword: NEW_PASSWORD, token },
      ip: nextClientIp(),
    });
    expect(reset.status).toBe(200);
    expect(await callWithBearer(session.jwt, "user.me")).toEqual(refused);
  });

  it("account deletion (its sessions go with the user row, out of sight of the session hook)", async () => {
    const user = await createUser();
    const [acting, other] = [await signedInWithJwt(user), await signedInWithJwt(user)];
    await (await callerWithHeaders(acting.headers)).account.delete({ password: user.password });
    // Refused as credentials, not only by procedures that look the account up.
    expect(await callerOf(acting.jwt)).toBeNull();
    expect(await callerOf(other.jwt)).toBeNull();
    expect(await callWithBearer(other.jwt, "task.list", { input: {} })).toEqual(refused);
  });
});

describe("the JWT path", () => {
  it("sends no statement to the database once the deny list has answered for the session", async () => {
    const session = await signedInWithJwt(await createUser());
    const headers = new Headers({ authorization: `Bearer ${session.jwt}` });
    expect(tokenRevocation.state().up).toBe(true);
    const statements = await statementsDuring(async () => {
      for (let i = 0; i < 5; i++) expect((await createTRPCContext({ headers })).session).not.toBeNull();
    });
    expect(statements).toEqual([]);
  });
});
