// Request ids, error responses and log lines over real HTTP: the production listener (src/test/http-server.ts)
// and Next's route handlers (src/test/http.ts), with the app's log lines captured as they are written.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // Every line the app can write, Better Auth's debug lines included: the strictest test of what reaches the log.
  process.env.LOG_LEVEL = "trace";
});

import { LAST_SIGN_IN_COOKIE } from "@/lib/identity-providers";
import { betterAuthLogger } from "@/server/auth/logging";
import { REQUEST_ID_HEADER } from "@/server/http/request-id";
import { createUser, signIn, STRONG_PASSWORD } from "@/test/fixtures";
import { authRequest, BASE_URL, cookiesFrom, nextClientIp, trpcRequest } from "@/test/http";
import { startTestServer } from "@/test/http-server";
import { captureLogs, type LogLine } from "@/test/logs";
import { linkIn, mailTo } from "@/test/mailbox";
import { databaseFailsDuring } from "@/test/statement-counter";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let server: Awaited<ReturnType<typeof startTestServer>>;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  logs = captureLogs();
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  logs.stop();
});

/** A request to the production listener; `origin` is the app's own, as a browser on the app would send. Redirects are answers, not followed. */
function send(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  return fetch(`${server.url}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      origin: BASE_URL,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    redirect: "manual",
  });
}

const linesOf = (requestId: string): LogLine[] => logs.lines().filter((line) => line.requestId === requestId);
const accessLineOf = (requestId: string) => linesOf(requestId).filter((line) => line.msg === "request");

type TrpcErrorBody = { error: { json: { message: string; data: { code: string; requestId: string | null } } } };

describe("request ids", () => {
  it("a sane X-Request-Id comes back on tRPC and Better Auth responses", async () => {
    for (const path of ["/api/trpc/health.check", "/api/auth/get-session"]) {
      const id = `lb-${path.length}.abc:7_Z`;
      const response = await send(path, { headers: { [REQUEST_ID_HEADER]: id } });
      expect(response.status).toBe(200);
      expect(response.headers.get(REQUEST_ID_HEADER)).toBe(id);
    }
  });

  it("a bogus X-Request-Id is replaced by a new UUID", async () => {
    for (const bogus of ["has spaces", "a".repeat(129), "<script>", "id;drop", "ïd"]) {
      const response = await send("/api/trpc/health.check", { headers: { [REQUEST_ID_HEADER]: bogus } });
      const id = response.headers.get(REQUEST_ID_HEADER);
      expect(id).toMatch(UUID);
      expect(id).not.toBe(bogus);
    }
  });

  it("without X-Request-Id each request gets its own UUID", async () => {
    const ids = await Promise.all(
      ["/api/trpc/health.check", "/api/trpc/health.check", "/api/auth/get-session"].map(async (path) =>
        (await send(path)).headers.get(REQUEST_ID_HEADER),
      ),
    );
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(3);
  });

  it("Next's route handlers set it the same way", async () => {
    const kept = await trpcRequest("health.check", { headers: { [REQUEST_ID_HEADER]: "from-proxy-1" } });
    expect(kept.headers.get(REQUEST_ID_HEADER)).toBe("from-proxy-1");
    const replaced = await authRequest("/get-session", { headers: { [REQUEST_ID_HEADER]: "not sane" } });
    expect(replaced.headers.get(REQUEST_ID_HEADER)).toMatch(UUID);
  });
});

describe("error responses carry the request id", () => {
  it("a tRPC error has the same id in its body, its x-request-id header and its log line", async () => {
    const response = await send("/api/trpc/user.me", { headers: { [REQUEST_ID_HEADER]: "trace-401" } });
    expect(response.status).toBe(401);
    expect(response.headers.get(REQUEST_ID_HEADER)).toBe("trace-401");
    const body = (await response.json()) as TrpcErrorBody;
    expect(body.error.json.data.requestId).toBe("trace-401");
    expect(accessLineOf("trace-401")).toEqual([
      expect.objectContaining({
        level: "info",
        method: "GET",
        path: "/api/trpc/user.me",
        status: 401,
        authMethod: null,
      }),
    ]);
  });

  it("so does a tRPC error met before any context exists (an oversized batch)", async () => {
    const paths = Array.from({ length: 11 }, () => "health.check").join(",");
    const input = encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [i, {}]))));
    const response = await send(`/api/trpc/${paths}?batch=1&input=${input}`);
    expect(response.status).toBe(400);
    const id = response.headers.get(REQUEST_ID_HEADER);
    expect(id).toMatch(UUID);
    expect(JSON.stringify(await response.json())).toContain(`"requestId":"${id}"`);
  });

  it("so does a mutation refused before tRPC (not JSON)", async () => {
    const response = await fetch(`${server.url}/api/trpc/task.create`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin: BASE_URL },
      body: "{}",
    });
    expect(response.status).toBe(415);
    const body = (await response.json()) as TrpcErrorBody;
    expect(body.error.json.data.requestId).toBe(response.headers.get(REQUEST_ID_HEADER));
  });

  it("a Better Auth error has the id in its JSON body and header, over the listener and through Next", async () => {
    const user = await createUser();
    const credentials = { email: user.email, password: "not-the-password-42" };
    for (const response of [
      await send("/api/auth/sign-in/email", { body: credentials, headers: { [REQUEST_ID_HEADER]: "auth-401" } }),
      await authRequest("/sign-in/email", { body: credentials, headers: { [REQUEST_ID_HEADER]: "auth-401-next" } }),
    ]) {
      expect(response.status).toBe(401);
      const id = response.headers.get(REQUEST_ID_HEADER);
      expect(await response.json()).toMatchObject({ code: "INVALID_EMAIL_OR_PASSWORD", requestId: id });
    }
    // Better Auth's own line about it is written inside its endpoint, with the id of the request.
    expect(linesOf("auth-401").filter((line) => line.component === "better-auth").length).toBeGreaterThan(0);
  });
});

describe("unexpected errors", () => {
  it("in a procedure: logged at error level with the id, the procedure and the stack; the body names the id", async () => {
    const { headers } = await signIn(await createUser());
    const response = await databaseFailsDuring(() =>
      send("/api/trpc/task.stats", {
        headers: { cookie: headers.get("cookie") ?? "", [REQUEST_ID_HEADER]: "boom-trpc" },
      }),
    );
    expect(response.status).toBe(500);
    expect(response.headers.get(REQUEST_ID_HEADER)).toBe("boom-trpc");
    const body = (await response.json()) as TrpcErrorBody;
    expect(body.error.json.data).toMatchObject({ code: "INTERNAL_SERVER_ERROR", requestId: "boom-trpc" });
    // The session lookup failed: logged once by Better Auth where it happened, once by us, both with the id.
    const failed = linesOf("boom-trpc").filter((line) => line.msg === "procedure failed");
    expect(failed).toEqual([
      expect.objectContaining({
        level: "error",
        procedure: "task.stats",
        err: expect.objectContaining({ stack: expect.any(String) }),
      }),
    ]);
    expect(JSON.stringify(failed)).toContain("Connection terminated unexpectedly");
    expect(accessLineOf("boom-trpc")).toEqual([expect.objectContaining({ status: 500 })]);
  });

  it("in Better Auth: a JSON 500 with the id and nothing about the cause, which is in the log", async () => {
    const user = await createUser();
    const response = await databaseFailsDuring(() =>
      send("/api/auth/sign-in/email", {
        body: { email: user.email, password: user.password },
        headers: { [REQUEST_ID_HEADER]: "boom-auth" },
      }),
    );
    expect(response.status).toBe(500);
    expect(response.headers.get(REQUEST_ID_HEADER)).toBe("boom-auth");
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ code: "INTERNAL_SERVER_ERROR", requestId: "boom-auth" });
    expect(text).not.toMatch(/Connection terminated|stack|\.ts\b/);
    const errors = linesOf("boom-auth").filter((line) => line.level === "error");
    expect(errors.length).toBeGreaterThan(0);
    expect(JSON.stringify(errors)).toContain("Connection terminated unexpectedly");
    expect(accessLineOf("boom-auth")).toEqual([
      expect.objectContaining({ path: "/api/auth/sign-in/email", status: 500 }),
    ]);
  });
});

describe("the access log", () => {
  it("has one line per API request: method, path without its query, status, duration, id and auth method", async () => {
    const { headers } = await signIn(await createUser());
    const input = encodeURIComponent(JSON.stringify({ json: { limit: 5 } }));
    const response = await send(`/api/trpc/task.list?input=${input}`, {
      headers: { cookie: headers.get("cookie") ?? "", [REQUEST_ID_HEADER]: "list-1" },
    });
    expect(response.status).toBe(200);
    const [line, ...others] = accessLineOf("list-1");
    expect(others).toEqual([]);
    expect(line).toMatchObject({
      level: "info",
      msg: "request",
      requestId: "list-1",
      method: "GET",
      path: "/api/trpc/task.list",
      status: 200,
      authMethod: "cookie",
      durationMs: expect.any(Number),
    });
    expect(typeof line?.time).toBe("string");
  });
});

describe("secrets never reach the log", () => {
  it("a sign-up, a failed and a successful sign-in, a token and signed-in calls log no password, token or cookie", async () => {
    const before = logs.raw.length;
    const signUpPassword = "violet-harbour-lantern-58";
    const signUp = { name: "New", email: `new-${Date.now()}@example.com`, password: signUpPassword };
    expect((await send("/api/auth/sign-up/email", { body: signUp })).status).toBe(200);

    const user = await createUser();
    const wrongPassword = "wrong-horse-battery-77";
    expect(
      (await send("/api/auth/sign-in/email", { body: { email: user.email, password: wrongPassword } })).status,
    ).toBe(401);
    const signedIn = await send("/api/auth/sign-in/email", { body: { email: user.email, password: STRONG_PASSWORD } });
    expect(signedIn.status).toBe(200);
    const sessionToken = signedIn.headers.get("set-auth-token") ?? "";
    const cookie = signedIn.headers
      .getSetCookie()
      .map((entry) => entry.split(";")[0] ?? "")
      .join("; ");
    const cookieValue = decodeURIComponent(cookie.split("=").slice(1).join("="));

    const minted = await send("/api/auth/token", { headers: { authorization: `Bearer ${sessionToken}` } });
    const { token: jwt } = (await minted.json()) as { token: string };
    expect((await send("/api/trpc/user.me", { headers: { authorization: `Bearer ${jwt}` } })).status).toBe(200);
    expect((await send("/api/trpc/user.me", { headers: { cookie } })).status).toBe(200);
    expect((await send("/api/trpc/task.create", { body: { json: { title: "t" } }, headers: { cookie } })).status).toBe(
      200,
    );

    const written = logs.raw.slice(before).join("");
    // Not vacuous: every one of those requests was logged.
    expect(written.match(/"msg":"request"/g)?.length).toBeGreaterThanOrEqual(7);
    for (const secret of [signUpPassword, wrongPassword, STRONG_PASSWORD, sessionToken, cookieValue, jwt]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(written).not.toContain(secret);
    }
    expect(written).not.toMatch(/bearer /i);
  });

  it("the full account flows log none of the tokens, codes, cookies, JWTs and passwords issued or sent", async () => {
    const before = logs.raw.length;
    const secrets = new Set<string>();
    /** A secret, with the pieces of it that are secrets on their own (a signed cookie's token, a JWT's signature). */
    const keep = (value: string | null | undefined) => {
      if (!value) throw new Error("expected a secret");
      for (const piece of [value, ...value.split(".").filter((part) => part.length >= 16)]) secrets.add(piece);
      return value;
    };
    const keepCookies = (response: Response) => {
      for (const entry of response.headers.getSetCookie()) {
        const [name = "", ...value] = (entry.split(";")[0] ?? "").split("=");
        // The method this device signed in with last ("email") is no secret: the sign-in page shows it.
        if (name !== LAST_SIGN_IN_COOKIE && value.length && value.join("")) keep(decodeURIComponent(value.join("=")));
      }
      return cookiesFrom(response);
    };
    const auth = (path: string, options: Parameters<typeof authRequest>[1] = {}) =>
      authRequest(path, { ip: nextClientIp(), ...options });

    // Sign-up, and the address confirmed with the mailed token (which signs the user in).
    const email = `flows-${Date.now()}@example.com`;
    const firstPassword = keep("amber-quarry-lantern-83");
    expect(
      (await send("/api/auth/sign-up/email", { body: { name: "Flow", email, password: firstPassword } })).status,
    ).toBe(200);
    const confirmLink = new URL(linkIn(await mailTo(email, /confirm your email/), `${BASE_URL}/verify-email`));
    const confirmToken = keep(confirmLink.searchParams.get("token"));
    const confirmed = await send("/api/auth/confirm-email", { body: { token: confirmToken, password: firstPassword } });
    expect(confirmed.status).toBe(200);
    keepCookies(confirmed);
    expect(
      (await send("/api/auth/confirm-email", { body: { token: `${confirmToken}x`, password: firstPassword } })).status,
    ).toBe(400);

    // Sign-in (a wrong password first), the session token as a bearer credential, a JWT, signed-in calls.
    const wrongPassword = keep("copper-wrong-meadow-19");
    expect((await auth("/sign-in/email", { body: { email, password: wrongPassword } })).status).toBe(401);
    const signedIn = await auth("/sign-in/email", { body: { email, password: firstPassword } });
    expect(signedIn.status).toBe(200);
    const sessionToken = keep(signedIn.headers.get("set-auth-token"));
    let cookie = keepCookies(signedIn);
    const minted = await send("/api/auth/token", { headers: { authorization: `Bearer ${sessionToken}` } });
    const jwt = keep(((await minted.json()) as { token: string }).token);
    expect((await send("/api/trpc/user.me", { headers: { authorization: `Bearer ${jwt}` } })).status).toBe(200);
    expect((await send("/api/trpc/user.me", { headers: { cookie } })).status).toBe(200);

    // Change of password: a new session cookie.
    const secondPassword = keep("granite-willow-harbour-47");
    const changed = await auth("/change-password", {
      body: { currentPassword: firstPassword, newPassword: secondPassword },
      headers: { cookie },
    });
    expect(changed.status).toBe(200);
    cookie = keepCookies(changed);

    // Reset: the link's token travels in the path, then in the page's query, then in a body.
    expect((await auth("/request-password-reset", { body: { email, redirectTo: "/reset-password" } })).status).toBe(
      200,
    );
    const resetLink = new URL(
      linkIn(await mailTo(email, /reset your password/), `${BASE_URL}/api/auth/reset-password/`),
    );
    const resetToken = keep(resetLink.pathname.split("/").at(-1));
    const opened = await send(`${resetLink.pathname}${resetLink.search}`, {
      headers: { [REQUEST_ID_HEADER]: "flow-reset-link" },
    });
    expect(opened.status).toBe(302);
    expect(opened.headers.get("location")).toContain(resetToken);
    expect((await auth(`/reset-password/${resetToken}${resetLink.search}`)).status).toBe(302);
    const thirdPassword = keep("saffron-canyon-ledger-52");
    expect((await auth("/reset-password", { body: { token: resetToken, newPassword: thirdPassword } })).status).toBe(
      200,
    );
    expect(
      (await send("/api/auth/reset-password", { body: { token: resetToken, newPassword: thirdPassword } })).status,
    ).toBe(400);
    expect((await send(`/api/auth/reset-password/${resetToken}?callbackURL=%2Freset-password`)).status).toBe(302);

    // Sign-in with the new password, and sign-out.
    const again = await auth("/sign-in/email", { body: { email, password: thirdPassword } });
    expect(again.status).toBe(200);
    keep(again.headers.get("set-auth-token"));
    cookie = keepCookies(again);
    const signedOut = await auth("/sign-out", { body: {}, headers: { cookie } });
    expect(signedOut.status).toBe(200);

    const written = logs.raw.slice(before).join("");
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThanOrEqual(16);
      for (const form of new Set([secret, encodeURIComponent(secret)])) {
        if (written.includes(form))
          throw new Error(`a secret reached the log: ${written.split("\n").find((line) => line.includes(form))}`);
      }
    }
    // Not vacuous: the reset link was logged, by its route, and Better Auth's own lines were written too.
    expect(accessLineOf("flow-reset-link")).toEqual([
      expect.objectContaining({ method: "GET", path: "/api/auth/reset-password/:token", status: 302 }),
    ]);
    expect(written).toContain('"component":"better-auth"');
  });

  it("fields named like secrets are redacted wherever a library puts them", () => {
    const before = logs.raw.length;
    const { log } = betterAuthLogger();
    log?.("warn", "something happened", {
      password: "p4ssw0rd-xyz",
      token: "tok-xyz-123",
      headers: { cookie: "sid=abc123xyz" },
    });
    const [line] = logs.lines().slice(before);
    expect(line).toMatchObject({
      detail: { password: "[redacted]", token: "[redacted]", headers: { cookie: "[redacted]" } },
    });
    expect(logs.raw.slice(before).join("")).not.toMatch(/p4ssw0rd-xyz|tok-xyz-123|abc123xyz/);
  });
});
