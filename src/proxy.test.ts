import fs from "node:fs";
import path from "node:path";
import { tryToParsePath } from "next/dist/lib/try-to-parse-path";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "@/lib/callback-url";
import { config, handleRequest } from "@/proxy";
import { sessionCookieName } from "@/server/auth/session-cookie-format";

// A session cookie under the name Better Auth gives it over plain HTTP, and in production (`__Secure-` prefixed).
const SESSION_COOKIE = `${sessionCookieName(false)}=token.signature`;
const SECURE_SESSION_COOKIE = `${sessionCookieName(true)}=token.signature`;

function visit(path: string, { cookie, production = true }: { cookie?: string; production?: boolean } = {}) {
  const request = new NextRequest(`http://localhost:3000${path}`, { headers: cookie ? { cookie } : {} });
  return handleRequest(request, production);
}

describe("proxy: protected pages", () => {
  it.each(["/tasks", "/settings", "/admin/users", "/tasks?show=done", "/device", "/device?user_code=WDJB-MJHT"])(
    "sends a signed-out visitor of %s to sign-in",
    (path) => {
      const response = visit(path);
      expect(response.status).toBe(307);
      expect(response.headers.get("location")).toBe(
        `http://localhost:3000/sign-in?callbackUrl=${encodeURIComponent(path)}`,
      );
    },
  );

  it("lets a visitor with a session cookie through (the page checks the session itself)", () => {
    expect(visit("/tasks", { cookie: SESSION_COOKIE }).headers.get("location")).toBeNull();
    expect(visit("/tasks", { cookie: SECURE_SESSION_COOKIE }).headers.get("location")).toBeNull();
  });

  it.each(["/%74asks", "/%73ettings/profile", "/%61dmin/users"])("knows %s for the protected page it is", (path) => {
    expect(visit(path).headers.get("location")).toMatch(/\/sign-in\?callbackUrl=/);
  });

  it.each([
    ["the same name twice", `${SESSION_COOKIE}; ${SESSION_COOKIE}`],
    ["plain and __Secure-", `${SESSION_COOKIE}; ${SECURE_SESSION_COOKIE}`],
  ])("sends a visitor with two session cookies (%s) to sign-in, as one with none", (_, cookie) => {
    expect(visit("/tasks", { cookie }).headers.get("location")).toMatch(/\/sign-in\?callbackUrl=/);
  });

  it("leaves public pages alone", () => {
    for (const path of ["/", "/sign-in", "/sign-up", "/tasksmith"])
      expect(visit(path).headers.get("location")).toBeNull();
  });
});

describe("proxy: security headers on every page", () => {
  it("sets a fresh nonce-based CSP, and passes the nonce to the renderer", () => {
    const first = visit("/").headers.get("content-security-policy") ?? "";
    const second = visit("/").headers.get("content-security-policy") ?? "";
    expect(first).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(first).not.toBe(second);
    expect(first).toContain("frame-ancestors 'none'");
    expect(first).toContain("object-src 'none'");
    expect(visit("/").headers.get("x-middleware-request-x-nonce")).toBeTruthy();
  });

  it("has no unsafe-eval and sends HSTS in production only", () => {
    const production = visit("/");
    expect(production.headers.get("content-security-policy")).not.toContain("unsafe-eval");
    expect(production.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    const development = visit("/", { production: false });
    expect(development.headers.get("strict-transport-security")).toBeNull();
  });

  it("sets the other headers on pages and on redirects alike", () => {
    for (const response of [visit("/"), visit("/tasks")]) {
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
    }
  });
});

describe("proxy: which paths it runs for", () => {
  // The matcher compiled as Next compiles it (path-to-regexp), anchored as Next anchors it.
  const matchers = config.matcher.map(({ source }) => new RegExp(`^${tryToParsePath(source).regexStr ?? "(?!)"}`));
  const runsFor = (pathname: string) => matchers.some((matcher) => matcher.test(pathname));

  /** One path per route handler under src/app/api, dynamic segments filled in. */
  const apiRoutes = fs
    .readdirSync(path.resolve(import.meta.dirname, "app/api"), { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => `/api/${path.dirname(file).split(path.sep).join("/")}`.replace(/\[(?:\.\.\.)?\w+\]/g, "x"));

  it("knows every API route", () => {
    expect(apiRoutes.sort()).toEqual([
      "/api/auth/x",
      "/api/health",
      "/api/openapi.json",
      "/api/ping",
      "/api/ready",
      "/api/trpc/x",
    ]);
  });

  it.each(apiRoutes)("not for the API route %s (its handler sets its own headers)", (route) => {
    expect(runsFor(route)).toBe(false);
  });

  it.each([
    "/",
    "/tasks",
    "/sign-in",
    "/api/nope",
    "/api/anything-else/x",
    "/api",
    "/api/trpc",
    "/api/health/x",
    "/api/healthz",
    "/api/openapi-json",
  ])(
    "for %s: a page, or Next's 404 page, with the signed-in header, so it needs CSP and frame-ancestors",
    (pathname) => {
      expect(runsFor(pathname)).toBe(true);
    },
  );

  it.each(["/_next/static/chunks/app.js", "/_next/image", "/favicon.ico", "/robots.txt"])(
    "not for the static file %s",
    (pathname) => {
      expect(runsFor(pathname)).toBe(false);
    },
  );
});

describe("safeCallbackUrl", () => {
  it.each([
    ["/settings", "/settings"],
    ["/tasks?show=done#top", "/tasks?show=done#top"],
    ["https://evil.example/x", "/tasks"],
    ["//evil.example", "/tasks"],
    ["/\\evil.example", "/tasks"],
    ["/..//evil.example", "/tasks"],
    ["/.//evil.example", "/tasks"],
    ["/a/..//evil.example/x", "/tasks"],
    ["/%2e//evil.example", "/tasks"],
    ["/a/../settings", "/settings"],
    ["javascript:alert(1)", "/tasks"],
    ["", "/tasks"],
    [null, "/tasks"],
  ])("%s → %s", (input, expected) => {
    expect(safeCallbackUrl(input)).toBe(expected);
  });
});
