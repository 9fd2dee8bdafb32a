// The app over real HTTP, as a browser or another service calls it: Better Auth at /api/auth, tRPC at /api/trpc.
// No call throws: network failures and timeouts come back as status 0 with the reason, and every call is timed.
import { randomBytes } from "node:crypto";
import { linkIn, waitForMail } from "../../../src/test/mail-capture";

export const PASSWORD = "quiet-harbor-lantern-58";
export const NEW_PASSWORD = "amber-falcon-meadow-73";

export type Reply = {
  status: number;
  ms: number;
  body: string;
  headers: Headers;
  /** Set when no HTTP answer came: "timeout" or the network error. */
  failure?: string;
  /** tRPC's error code, when the body is a tRPC error. */
  code?: string;
};

type Options = {
  method?: "GET" | "POST";
  body?: unknown;
  cookie?: string;
  /** The client address, as nginx will pass it on (X-Forwarded-For, trusted one hop deep). */
  ip?: string;
  origin?: string;
  timeoutMs?: number;
  redirect?: RequestRedirect;
};

/** Every reply of this process, for the summary's figures. */
export const replies: Reply[] = [];

export async function request(url: string, options: Options = {}): Promise<Reply> {
  const reply = await send(url, options);
  replies.push(reply);
  return reply;
}

async function send(url: string, options: Options): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.cookie) headers.cookie = options.cookie;
  if (options.ip) headers["x-forwarded-for"] = options.ip;
  if (options.origin) headers.origin = options.origin;
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: options.method ?? (options.body === undefined ? "GET" : "POST"),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      redirect: options.redirect ?? "follow",
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const body = await response.text();
    return {
      status: response.status,
      ms: performance.now() - started,
      body,
      headers: response.headers,
      code: trpcCode(body),
    };
  } catch (error) {
    const failure =
      error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")
        ? "timeout"
        : `network: ${error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)}`;
    return { status: 0, ms: performance.now() - started, body: "", headers: new Headers(), failure };
  }
}

function trpcCode(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { json?: { data?: { code?: string } } } };
    return parsed.error?.json?.data?.code;
  } catch {
    return undefined;
  }
}

/** The Cookie header a browser would send back after `reply` (the session cookie, when one was set). */
export function cookieFrom(reply: Reply): string {
  return reply.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0] ?? "")
    .filter((pair) => !pair.endsWith("="))
    .join("; ");
}

/** The data of a successful tRPC reply (superjson's `json` part). */
export function dataOf<T>(reply: Reply): T {
  return (JSON.parse(reply.body) as { result: { data: { json: T } } }).result.data.json;
}

let ipCounter = 0;
/** A new client address for each call site that must not share per-IP limits (TEST-NET-2, 198.51.100.0/24 and up). */
export function nextIp(): string {
  ipCounter++;
  return `198.51.${100 + (ipCounter >> 8)}.${ipCounter & 255}`;
}

export function uniqueEmail(label: string): string {
  return `${label}-${randomBytes(4).toString("hex")}@example.com`;
}

/** Calls on one app address (an instance, or nginx) whose public origin is `origin`. */
export function appClient(base: string, origin: string) {
  const auth = (route: string, options: Options = {}) => request(`${base}/api/auth${route}`, { origin, ...options });
  return {
    base,
    signUp: (email: string, password = PASSWORD, ip = nextIp()) =>
      auth("/sign-up/email", { body: { name: "Reliability", email, password }, ip }),
    signIn: (email: string, password = PASSWORD, ip = nextIp()) =>
      auth("/sign-in/email", { body: { email, password }, ip }),
    /** Confirms an address with the token of its confirmation link and the password chosen at sign-up. */
    confirmEmail: (token: string, password = PASSWORD, ip = nextIp()) =>
      auth("/confirm-email", { body: { token, password }, ip }),
    requestPasswordReset: (email: string, ip = nextIp()) =>
      auth("/request-password-reset", { body: { email, redirectTo: "/reset-password" }, ip }),
    signOut: (cookie: string) => auth("/sign-out", { body: {}, cookie }),
    changePassword: (cookie: string, currentPassword: string, newPassword: string) =>
      auth("/change-password", { body: { currentPassword, newPassword, revokeOtherSessions: true }, cookie }),
    query: (procedure: string, cookie?: string, input?: unknown, timeoutMs?: number) =>
      request(
        `${base}/api/trpc/${procedure}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`,
        { cookie, timeoutMs },
      ),
    mutate: (procedure: string, input: unknown, cookie?: string, timeoutMs?: number) =>
      request(`${base}/api/trpc/${procedure}`, { method: "POST", body: { json: input }, cookie, origin, timeoutMs }),
  };
}

export type AppClient = ReturnType<typeof appClient>;

/**
 * A verified user with a session: sign-up through `app`, the confirmation link's token from the mail capture sent
 * back with the password (as the /verify-email page does), then sign-in. Returns the session's Cookie header and the
 * user's id.
 */
export async function verifiedUser(
  app: AppClient,
  mailApiUrl: string,
  email = uniqueEmail("user"),
): Promise<{ email: string; cookie: string; id: string }> {
  const signedUp = await app.signUp(email);
  if (signedUp.status !== 200) throw new Error(`sign-up of ${email}: ${signedUp.status} ${signedUp.body}`);
  const link = new URL(linkIn(await waitForMail(mailApiUrl, email, /confirm your email/), "http"));
  const verified = await app.confirmEmail(link.searchParams.get("token") ?? "");
  if (verified.status !== 200) throw new Error(`confirmation of ${email}: ${verified.status} ${verified.body}`);
  const signedIn = await app.signIn(email);
  if (signedIn.status !== 200) throw new Error(`sign-in of ${email}: ${signedIn.status} ${signedIn.body}`);
  const cookie = cookieFrom(signedIn);
  const me = await app.query("user.me", cookie);
  if (me.status !== 200) throw new Error(`user.me of ${email}: ${me.status} ${me.body}`);
  return { email, cookie, id: dataOf<{ id: string }>(me).id };
}
