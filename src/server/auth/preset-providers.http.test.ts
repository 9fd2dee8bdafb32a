// The Google and GitHub presets (GOOGLE_CLIENT_ID…, GITHUB_CLIENT_ID…) through Better Auth's own providers, against
// stand-ins that speak Google's and GitHub's protocols on 127.0.0.1 (their servers are out of reach here): the address
// each vouches for, linking held to the same rules as any OpenID Connect issuer, the ID token's checks, a cancel, and
// the second factor.
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createUser } from "@/test/fixtures";
import { type GitHubUser, type GoogleUser, signInAtProvider } from "@/test/fixtures/provider-stand-ins";
import { providerCallback, redirectedTo, signedInUser, startProviderSignIn } from "@/test/fixtures/provider-sign-in";
import { enrolSecondFactor } from "@/test/fixtures/second-factor";

/** What the app asked the provider for in its last authorization request (scopes, PKCE, nonce, redirect URI). */
let lastAuthorization = new URLSearchParams();

/**
 * The whole round trip: the app sends the browser to the provider, `user` signs in there (null: cancels), the
 * provider sends it back to the callback; `tamper` changes the authorization request on the way.
 */
async function signInWith(
  provider: "github" | "google",
  user: GitHubUser | GoogleUser | null,
  tamper: (url: URL) => void = () => undefined,
) {
  const begun = await startProviderSignIn(provider);
  const url = new URL(begun.url);
  lastAuthorization = new URLSearchParams(url.searchParams);
  tamper(url);
  return providerCallback(await signInAtProvider(url, user), begun.cookie);
}

const accountsOf = (userId: string) =>
  db.account.findMany({
    where: { userId },
    select: { providerId: true, accountId: true, accessToken: true, idToken: true },
  });
const providersOf = async (userId: string) => (await accountsOf(userId)).map((account) => account.providerId).sort();
const signInEvents = (userId: string) =>
  db.authEvent.findMany({ where: { userId, type: "sign-in" }, select: { detail: true } });

describe("GitHub", () => {
  let ids = 1000;
  /** A GitHub account with its email hidden (GitHub's default): a primary verified address and another one. */
  function gitHubUser(overrides: Partial<GitHubUser> = {}): GitHubUser {
    const id = ++ids;
    return {
      id,
      login: `octo-${id}`,
      name: "Mona Octo",
      email: null,
      emails: [
        { email: `octo-${id}@example.com`, primary: true, verified: true },
        { email: `octo-${id}-old@example.com`, primary: false, verified: false },
      ],
      ...overrides,
    };
  }
  const withEmail = (email: string, verified: boolean) => gitHubUser({ emails: [{ email, primary: true, verified }] });

  it("creates a confirmed account with the primary address GitHub has verified, keeping no token", async () => {
    const person = gitHubUser();
    const response = await signInWith("github", person);
    expect(redirectedTo(response).pathname).toBe("/tasks");
    const user = await db.user.findUniqueOrThrow({ where: { email: `octo-${person.id}@example.com` } });
    expect(user).toMatchObject({ emailVerified: true, name: "Mona Octo" });
    expect((await signedInUser(response))?.id).toBe(user.id);
    expect(await accountsOf(user.id)).toEqual([
      { providerId: "github", accountId: String(person.id), accessToken: null, idToken: null },
    ]);
    expect(await signInEvents(user.id)).toEqual([{ detail: { method: "provider", provider: "github" } }]);
  });

  it("asks GitHub for the profile and email scopes, with state and a PKCE challenge", async () => {
    await signInWith("github", gitHubUser());
    const asked = lastAuthorization;
    expect(asked.get("scope")?.split(" ")).toEqual(expect.arrayContaining(["read:user", "user:email"]));
    expect(asked.get("state")).toBeTruthy();
    expect(asked.get("code_challenge_method")).toBe("S256");
    expect(asked.get("redirect_uri")).toBe("http://localhost:3000/api/auth/callback/github");
  });

  it("joins an existing confirmed account whose address GitHub has verified", async () => {
    const local = await createUser();
    const response = await signInWith("github", withEmail(local.email, true));
    expect((await signedInUser(response))?.id).toBe(local.id);
    expect(await providersOf(local.id)).toEqual(["credential", "github"]);
  });

  it("refuses to join an account by an address GitHub has not verified (no takeover)", async () => {
    const local = await createUser();
    const response = await signInWith("github", withEmail(local.email, false));
    expect(redirectedTo(response).pathname).toBe("/sign-in");
    expect(redirectedTo(response).searchParams.get("error")).toBe("account_not_linked");
    expect(await signedInUser(response)).toBeNull();
    expect(await providersOf(local.id)).toEqual(["credential"]);
  });

  it("lands on the sign-in page with GitHub's access_denied when the person cancels there", async () => {
    const response = await signInWith("github", null);
    expect(redirectedTo(response).pathname).toBe("/sign-in");
    expect(redirectedTo(response).searchParams.get("error")).toBe("access_denied");
    expect(await signedInUser(response)).toBeNull();
  });

  it("stops at the second-factor page for an account with a second factor", async () => {
    const local = await createUser();
    await enrolSecondFactor(local);
    const response = await signInWith("github", withEmail(local.email, true));
    expect(redirectedTo(response).pathname).toBe("/sign-in/second-factor");
    expect(await signedInUser(response)).toBeNull();
  });
});

describe("Google", () => {
  let ids = 0;
  const googleUser = (overrides: Partial<GoogleUser> = {}): GoogleUser => {
    const id = ++ids;
    return {
      sub: `1098${id}`,
      email: `g-${id}-${Date.now()}@example.com`,
      emailVerified: true,
      name: "Gia Google",
      ...overrides,
    };
  };

  it("creates a confirmed account from the ID token's verified email, keeping no token", async () => {
    const person = googleUser();
    const response = await signInWith("google", person);
    expect(redirectedTo(response).pathname).toBe("/tasks");
    const user = await db.user.findUniqueOrThrow({ where: { email: person.email } });
    expect(user).toMatchObject({ emailVerified: true, name: "Gia Google" });
    expect((await signedInUser(response))?.id).toBe(user.id);
    expect(await accountsOf(user.id)).toEqual([
      { providerId: "google", accountId: person.sub, accessToken: null, idToken: null },
    ]);
    expect(await signInEvents(user.id)).toEqual([{ detail: { method: "provider", provider: "google" } }]);
    const asked = lastAuthorization;
    expect(asked.get("code_challenge_method")).toBe("S256");
    expect(asked.get("nonce")).toBeTruthy();
    expect(asked.get("redirect_uri")).toBe("http://localhost:3000/api/auth/callback/google");
  });

  it("refuses an ID token whose nonce is not the one this sign-in asked for", async () => {
    const response = await signInWith("google", googleUser(), (url) =>
      url.searchParams.set("nonce", "chosen-by-someone-else"),
    );
    expect(redirectedTo(response).pathname).toBe("/sign-in");
    expect(redirectedTo(response).searchParams.get("error")).toBeTruthy();
    expect(await signedInUser(response)).toBeNull();
  });

  it("joins a confirmed account only when Google vouches for the address", async () => {
    const local = await createUser();
    const refused = await signInWith("google", googleUser({ email: local.email, emailVerified: false }));
    expect(redirectedTo(refused).searchParams.get("error")).toBe("account_not_linked");
    expect(await providersOf(local.id)).toEqual(["credential"]);
    const joined = await signInWith("google", googleUser({ email: local.email }));
    expect((await signedInUser(joined))?.id).toBe(local.id);
    expect(await providersOf(local.id)).toEqual(["credential", "google"]);
  });
});
