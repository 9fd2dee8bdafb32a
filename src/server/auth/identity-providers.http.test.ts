// Sign-in with an identity provider through the real handlers and a real OpenID provider (oidc-provider on
// 127.0.0.1, started by the global setup): new accounts, returning users, linking only when both sides vouch for the
// email, state and nonce bound to the browser that started, the provider's refusal, the second factor, no tokens kept.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { LAST_SIGN_IN_COOKIE } from "@/lib/identity-providers";
import { db } from "@/server/db";
import { createUser, signIn } from "@/test/fixtures";
import { type ProviderUser, visitProvider } from "@/test/fixtures/identity-provider";
import { providerCallback, redirectedTo, signedInUser, startProviderSignIn } from "@/test/fixtures/provider-sign-in";
import { registerPasskey } from "@/test/fixtures/passkeys";
import { LAST_SIGN_IN_METHOD } from "@/server/auth/passkeys";
import { enrolSecondFactor, totpCode } from "@/test/fixtures/second-factor";
import { authRequest, cookiesFrom, nextClientIp } from "@/test/http";

const start = (provider = "acme") => startProviderSignIn(provider);
const callback = providerCallback;

async function signInWith(user: ProviderUser, provider = "acme") {
  const begun = await start(provider);
  return callback(await visitProvider(begun.url, user), begun.cookie);
}

const someone = (overrides: Partial<ProviderUser> = {}): ProviderUser => ({
  sub: randomUUID(),
  email: `idp-${randomUUID()}@example.com`,
  emailVerified: true,
  name: "Ada Provider",
  ...overrides,
});

const location = redirectedTo;
const me = signedInUser;
const accountsOf = (userId: string) =>
  db.account.findMany({
    where: { userId },
    select: { providerId: true, accessToken: true, refreshToken: true, idToken: true },
  });
const eventsOf = (type: string, userId: string | null = null) =>
  db.authEvent.findMany({ where: { type, ...(userId ? { userId } : {}) }, select: { detail: true, userId: true } });

describe("a new identity", () => {
  it("creates a confirmed account when the provider vouches for the email, and signs it in", async () => {
    const identity = someone();
    const response = await signInWith(identity);
    expect(response.status).toBe(302);
    expect(location(response).pathname).toBe("/tasks");
    const signedIn = await me(response);
    expect(signedIn).not.toBeNull();
    const user = await db.user.findUniqueOrThrow({ where: { email: identity.email } });
    expect(user.emailVerified).toBe(true);
    expect(signedIn?.id).toBe(user.id);
    expect(await eventsOf("sign-in", user.id)).toEqual([
      { userId: user.id, detail: { method: "provider", provider: "acme" } },
    ]);
    expect(await eventsOf("provider-linked", user.id)).toHaveLength(1);
    // The sign-in page marks the provider as the way this device signed in last.
    expect(cookiesFrom(response)).toContain(`${LAST_SIGN_IN_COOKIE}=acme`);
  });

  it("keeps none of the provider's tokens", async () => {
    const identity = someone();
    await signInWith(identity);
    const user = await db.user.findUniqueOrThrow({ where: { email: identity.email } });
    expect(await accountsOf(user.id)).toEqual([
      { providerId: "acme", accessToken: null, refreshToken: null, idToken: null },
    ]);
  });

  it("hands out no provider token: the endpoints that would are off", async () => {
    const identity = someone();
    const cookie = cookiesFrom(await signInWith(identity));
    for (const path of ["/get-access-token", "/refresh-token", "/account-info"]) {
      const response = await authRequest(path, {
        body: { providerId: "acme" },
        headers: { cookie },
        ip: nextClientIp(),
      });
      expect(response.status, path).toBe(404);
    }
  });

  it("signs in nobody when the provider does not vouch for the email", async () => {
    const response = await signInWith(someone({ emailVerified: false }));
    expect(location(response).pathname).toBe("/sign-in");
    expect(location(response).searchParams.get("error")).toBe("email_not_verified");
    expect(await me(response)).toBeNull();
  });

  it("comes back to the same account, through any of several providers configured at once", async () => {
    const identity = someone();
    const first = await me(await signInWith(identity));
    const again = await me(await signInWith(identity));
    expect(again?.id).toBe(first?.id);
    const umbrella = await signInWith(someone(), "umbrella");
    expect(await me(umbrella)).not.toBeNull();
  });
});

describe("an email that already has an account", () => {
  it("joins the account when both the provider and the account have confirmed it", async () => {
    const local = await createUser();
    const response = await signInWith(someone({ email: local.email }));
    expect((await me(response))?.id).toBe(local.id);
    expect((await accountsOf(local.id)).map((account) => account.providerId).sort()).toEqual(["acme", "credential"]);
  });

  it("is refused when the provider does not vouch for the email (no takeover by a provider account)", async () => {
    const local = await createUser();
    const response = await signInWith(someone({ email: local.email, emailVerified: false }));
    expect(location(response).pathname).toBe("/sign-in");
    expect(location(response).searchParams.get("error")).toBe("account_not_linked");
    expect(await me(response)).toBeNull();
    expect((await accountsOf(local.id)).map((account) => account.providerId)).toEqual(["credential"]);
  });

  it("is refused when the account's email was never confirmed (no takeover by an early sign-up)", async () => {
    const local = await createUser();
    await db.user.update({ where: { id: local.id }, data: { emailVerified: false } });
    const response = await signInWith(someone({ email: local.email }));
    expect(location(response).searchParams.get("error")).toBe("account_not_linked");
    expect(await me(response)).toBeNull();
    expect((await accountsOf(local.id)).map((account) => account.providerId)).toEqual(["credential"]);
    const refused = await eventsOf("provider-link-refused");
    expect(refused.some((event) => (event.detail as { provider?: string }).provider === "acme")).toBe(true);
  });
});

describe("the callback", () => {
  it("refuses an answer brought back to a browser that did not start the sign-in (state)", async () => {
    const victim = await start();
    const attacker = await start();
    const back = await visitProvider(attacker.url, someone());
    const response = await callback(back, victim.cookie);
    expect(location(response).pathname).toBe("/sign-in");
    expect(location(response).searchParams.get("error")).toBe("state_mismatch");
    expect(await me(response)).toBeNull();
    const withoutCookie = await callback(back, "");
    expect(location(withoutCookie).searchParams.get("error")).toMatch(/state/);
    expect(await me(withoutCookie)).toBeNull();
  });

  it("refuses a tampered state, and a state used twice", async () => {
    const begun = await start();
    const back = await visitProvider(begun.url, someone());
    const tampered = new URL(back);
    tampered.searchParams.set("state", `${back.searchParams.get("state")}x`);
    expect(await me(await callback(tampered, begun.cookie))).toBeNull();
    const first = await callback(back, begun.cookie);
    const replayed = await callback(back, begun.cookie);
    expect(await me(replayed)).toBeNull();
    expect(location(replayed).pathname).toBe("/sign-in");
    void first;
  });

  it("refuses an ID token whose nonce is not the one this sign-in asked for", async () => {
    const begun = await start();
    const tampered = new URL(begun.url);
    expect(tampered.searchParams.get("nonce")).toBeTruthy();
    tampered.searchParams.set("nonce", "chosen-by-someone-else");
    const response = await callback(await visitProvider(tampered.href, someone()), begun.cookie);
    expect(location(response).pathname).toBe("/sign-in");
    expect(location(response).searchParams.get("error")).toBeTruthy();
    expect(await me(response)).toBeNull();
  });

  it("asks the provider for a PKCE challenge", async () => {
    const begun = await start();
    const url = new URL(begun.url);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toBeTruthy();
    expect(url.searchParams.get("state")).toBeTruthy();
  });

  it("lands on the sign-in page with the provider's refusal when the user cancels there", async () => {
    const begun = await start();
    const response = await callback(await visitProvider(begun.url, "cancel"), begun.cookie);
    expect(response.status).toBe(302);
    expect(location(response).pathname).toBe("/sign-in");
    expect(location(response).searchParams.get("error")).toBe("access_denied");
    expect(await me(response)).toBeNull();
  });
});

describe("an account with a second factor", () => {
  it("stops at the second-factor page, and is signed in once the code is right", async () => {
    const local = await createUser();
    const { totpURI } = await enrolSecondFactor(local);
    const response = await signInWith(someone({ email: local.email }));
    expect(response.status).toBe(302);
    expect(location(response).pathname).toBe("/sign-in/second-factor");
    expect(await me(response)).toBeNull();
    const verified = await authRequest("/two-factor/verify-totp", {
      body: { code: await totpCode(totpURI, 1) },
      headers: { cookie: cookiesFrom(response) },
      ip: nextClientIp(),
    });
    expect(verified.status).toBe(200);
    expect((await me(verified))?.id).toBe(local.id);
    const required = await eventsOf("second-factor-required", local.id);
    expect(required.map((event) => event.detail)).toContainEqual({ method: "provider", provider: "acme" });
  });
});

describe("connecting a provider from settings", () => {
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

  async function link(cookie: string) {
    return authRequest("/link-social", {
      body: { provider: "acme", callbackURL: "/settings", errorCallbackURL: "/settings" },
      headers: { cookie },
      ip: nextClientIp(),
    });
  }

  it("links the provider's identity to the signed-in account, from a fresh session, and audits it", async () => {
    const local = await createUser();
    const session = (await signIn(local)).headers.get("cookie") ?? "";
    const begun = await link(session);
    expect(begun.status).toBe(200);
    const { url } = (await begun.json()) as { url: string };
    const back = await visitProvider(url, someone({ email: local.email }));
    const response = await callback(back, `${session}; ${cookiesFrom(begun)}`);
    expect(location(response).pathname).toBe("/settings");
    expect(location(response).searchParams.get("error")).toBeNull();
    expect((await accountsOf(local.id)).map((account) => account.providerId).sort()).toEqual(["acme", "credential"]);
    expect(await eventsOf("provider-linked", local.id)).toEqual([{ userId: local.id, detail: { provider: "acme" } }]);
  });

  it("needs a fresh session", async () => {
    const local = await createUser();
    const stale = (await signIn(local, { signedInAt: minutesAgo(11) })).headers.get("cookie") ?? "";
    const response = await link(stale);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: "FRESH_SESSION_REQUIRED" });
  });

  it("refuses an identity whose email the provider does not vouch for, and audits the refusal", async () => {
    const local = await createUser();
    const session = (await signIn(local)).headers.get("cookie") ?? "";
    const begun = await link(session);
    const { url } = (await begun.json()) as { url: string };
    const back = await visitProvider(url, someone({ email: local.email, emailVerified: false }));
    const response = await callback(back, `${session}; ${cookiesFrom(begun)}`);
    expect(location(response).searchParams.get("error")).toBe("unable_to_link_account");
    expect((await accountsOf(local.id)).map((account) => account.providerId)).toEqual(["credential"]);
    expect(await eventsOf("provider-link-refused", local.id)).toHaveLength(1);
  });
});

describe("disconnecting a provider", () => {
  async function unlink(cookie: string, userId: string) {
    const { id } = await db.account.findFirstOrThrow({ where: { userId, providerId: "acme" } });
    return authRequest("/unlink-account", {
      body: { accountId: id },
      headers: { cookie },
      ip: nextClientIp(),
    });
  }

  it("is refused when the provider is the account's only way to sign in", async () => {
    const identity = someone();
    const response = await signInWith(identity);
    const user = await db.user.findUniqueOrThrow({ where: { email: identity.email } });
    const refused = await unlink(cookiesFrom(response), user.id);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: LAST_SIGN_IN_METHOD });
    expect((await accountsOf(user.id)).map((account) => account.providerId)).toEqual(["acme"]);
  });

  it("removes it when a passkey remains", async () => {
    const identity = someone();
    const cookie = cookiesFrom(await signInWith(identity));
    await registerPasskey(cookie);
    const user = await db.user.findUniqueOrThrow({ where: { email: identity.email } });
    expect((await unlink(cookie, user.id)).status).toBe(200);
    expect(await accountsOf(user.id)).toEqual([]);
  });

  it("removes it when the password remains, and audits it", async () => {
    const local = await createUser();
    await signInWith(someone({ email: local.email }));
    const session = (await signIn(local)).headers.get("cookie") ?? "";
    const removed = await unlink(session, local.id);
    expect(removed.status).toBe(200);
    expect((await accountsOf(local.id)).map((account) => account.providerId)).toEqual(["credential"]);
    expect(await eventsOf("provider-unlinked", local.id)).toEqual([{ userId: local.id, detail: { provider: "acme" } }]);
  });
});
