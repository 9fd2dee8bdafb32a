// A typed client for the API outside the browser: signs in for a session token (the refresh credential), mints
// short-lived JWTs from it, and calls procedures with the vanilla tRPC client, typed from AppRouter alone.
import { createTRPCClient, httpBatchLink, retryLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { CredentialsStore } from "@/cli/credentials";
import { CLI_CLIENT_ID } from "@/lib/device-authorization";
import { readSecondFactorCode, SECOND_FACTOR_CODE_HINT } from "@/lib/second-factor-code";
import type { AppRouter } from "@/server/api/root";

/** A JWT is renewed this long before it expires, so it does not run out on the way to the server. */
const EXPIRY_MARGIN_SECONDS = 30;

/** RFC 8628: what the client waits between polls, and what it adds after `slow_down`. */
const SLOW_DOWN_SECONDS = 5;
const DEVICE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";

/** What a device sign-in shows the person: where to go, and the code to check there. */
export type DeviceCodeShown = { userCode: string; verificationUri: string; verificationUriComplete: string };

/** Something the user should read (no stack trace): not signed in, wrong password, a refused call. */
export class CliError extends Error {}

function expiresAt(jwt: string): number {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString()) as { exp?: unknown };
    return typeof payload.exp === "number" ? payload.exp : 0;
  } catch {
    return 0;
  }
}

/**
 * A POST to Better Auth. Node's fetch sends `Sec-Fetch-Mode`, which makes Better Auth's CSRF check require an
 * Origin it trusts: the app's own, as its web pages send.
 */
function postToAuth(url: URL, origin: string, body: unknown, authorization?: string): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", origin, ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(body),
  });
}

/** The server's words for a refusal: Better Auth's `message`, or an OAuth error's `error_description` or `error`. */
async function errorMessage(response: Response, body?: unknown): Promise<string> {
  const answer = (body ?? (await response.json().catch(() => null))) as Record<string, unknown> | null;
  for (const key of ["message", "error_description", "error"]) {
    const value = answer?.[key];
    if (typeof value === "string") return value;
  }
  return `HTTP ${response.status}`;
}

export function createApiClient({ store, ...options }: { baseUrl: string; store: CredentialsStore }) {
  const baseUrl = new URL(options.baseUrl).origin;
  const url = (path: string) => new URL(path, baseUrl);

  async function signedIn() {
    const credentials = await store.load();
    if (!credentials || credentials.baseUrl !== baseUrl)
      throw new CliError(`Not signed in to ${baseUrl}: run \`sign-in <email>\`.`);
    return credentials;
  }

  /** A JWT that is still good, minted again from the session token when it has (nearly) expired or was refused. */
  async function accessToken({ renew }: { renew: boolean }): Promise<string> {
    const credentials = await signedIn();
    const cached = credentials.accessToken;
    if (!renew && cached && expiresAt(cached) - EXPIRY_MARGIN_SECONDS > Date.now() / 1000) return cached;
    const response = await fetch(url("/api/auth/token"), {
      headers: { authorization: `Bearer ${credentials.sessionToken}` },
    });
    if (response.status === 401) {
      await store.clear();
      throw new CliError("Your session has ended (signed out, expired or revoked): run `sign-in <email>` again.");
    }
    if (!response.ok) throw new CliError(`Could not get an access token: ${await errorMessage(response)}`);
    const { token } = (await response.json()) as { token: string };
    await store.save({ ...credentials, accessToken: token });
    return token;
  }

  // Set when the server refused the JWT (say, its key was rotated): the retry mints a new one first.
  let renewNext = false;
  const trpc = createTRPCClient<AppRouter>({
    links: [
      retryLink({
        retry: ({ error, attempts }) => (renewNext = attempts === 1 && error.data?.code === "UNAUTHORIZED"),
      }),
      httpBatchLink({
        url: url("/api/trpc"),
        transformer: superjson,
        async headers() {
          const token = await accessToken({ renew: renewNext });
          renewNext = false;
          return { authorization: `Bearer ${token}` };
        },
      }),
    ],
  });

  return {
    trpc,
    /**
     * Email and password for a session token, which the server returns in `set-auth-token`; when the account has a
     * second factor, the password step answers with a challenge (its cookie) and `askCode` is asked for the code.
     */
    async signIn(email: string, password: string, askCode: () => Promise<string>): Promise<void> {
      let response = await postToAuth(url("/api/auth/sign-in/email"), baseUrl, { email, password });
      const answer = (await response
        .clone()
        .json()
        .catch(() => null)) as { twoFactorRedirect?: unknown } | null;
      if (response.ok && answer?.twoFactorRedirect) {
        const code = readSecondFactorCode(await askCode());
        if (!code) throw new CliError(`Sign-in failed: ${SECOND_FACTOR_CODE_HINT}`);
        // The challenge travels as the cookie the password step set, as in a browser.
        const challenge = response.headers
          .getSetCookie()
          .map((cookie) => cookie.split(";")[0] ?? "")
          .filter((cookie) => /two_factor=./.test(cookie))
          .join("; ");
        const path = code.kind === "totp" ? "verify-totp" : "verify-backup-code";
        response = await fetch(url(`/api/auth/two-factor/${path}`), {
          method: "POST",
          headers: { "content-type": "application/json", origin: baseUrl, cookie: challenge },
          body: JSON.stringify({ code: code.code }),
        });
      }
      const sessionToken = response.headers.get("set-auth-token");
      if (!response.ok || !sessionToken) throw new CliError(`Sign-in failed: ${await errorMessage(response)}`);
      await store.save({ baseUrl, sessionToken });
    },
    /**
     * Device authorization (RFC 8628), for an account without a password or a person who would rather not type it
     * here: asks for a code, `show`s where to approve it, and polls until the browser approves or denies it or the code
     * expires. `wait` is the pause between polls (a test may shorten it).
     */
    async signInWithDevice(
      show: (code: DeviceCodeShown) => void,
      wait = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
    ): Promise<void> {
      const asked = await postToAuth(url("/api/auth/device/code"), baseUrl, { client_id: CLI_CLIENT_ID });
      if (!asked.ok) throw new CliError(`Sign-in failed: ${await errorMessage(asked)}`);
      const code = (await asked.json()) as {
        device_code: string;
        user_code: string;
        verification_uri: string;
        verification_uri_complete: string;
        interval: number;
      };
      show({
        userCode: code.user_code,
        verificationUri: code.verification_uri,
        verificationUriComplete: code.verification_uri_complete,
      });
      let interval = code.interval;
      for (;;) {
        await wait(interval);
        const polled = await postToAuth(url("/api/auth/device/token"), baseUrl, {
          grant_type: DEVICE_GRANT_TYPE,
          device_code: code.device_code,
          client_id: CLI_CLIENT_ID,
        });
        const answer = (await polled.json().catch(() => ({}))) as { access_token?: unknown; error?: unknown };
        if (polled.ok && typeof answer.access_token === "string") {
          await store.save({ baseUrl, sessionToken: answer.access_token });
          return;
        }
        if (answer.error === "authorization_pending") continue;
        if (answer.error === "slow_down") {
          interval += SLOW_DOWN_SECONDS;
          continue;
        }
        if (answer.error === "access_denied") throw new CliError("Sign-in denied in the browser.");
        if (answer.error === "expired_token")
          throw new CliError("The code expired before it was approved: run `sign-in` again.");
        throw new CliError(`Sign-in failed: ${await errorMessage(polled, answer)}`);
      }
    },
    /** Ends the session on the server (its JWTs then live only until they expire) and forgets the tokens. */
    async signOut(): Promise<void> {
      const credentials = await store.load();
      if (!credentials) return;
      await store.clear();
      const { baseUrl: origin, sessionToken } = credentials;
      const response = await postToAuth(new URL("/api/auth/sign-out", origin), origin, {}, `Bearer ${sessionToken}`);
      if (!response.ok && response.status !== 401)
        throw new CliError(`Sign-out failed: ${await errorMessage(response)}`);
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The message to show for an error from a call: the server's own words for a refused call. */
export function describeError(error: unknown): string | null {
  if (error instanceof CliError || error instanceof TRPCClientError) return error.message;
  return null;
}
