// Runs before every page: security headers with a fresh CSP nonce, and signed-out visitors of protected pages
// sent to sign-in. The cookie's presence is only a hint; every page and procedure checks the session again. Two session
// cookies count as none, as everywhere else (src/server/auth/session-cookie-count.ts).
import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/env";
import { signInPath } from "@/lib/callback-url";
import { sessionCookieCount } from "@/server/auth/session-cookie-count";
import { normalisedPath } from "@/server/http/request-path";
import { commonSecurityHeaders } from "@/server/http/security-headers";

const PROTECTED_PREFIXES = ["/tasks", "/settings", "/admin", "/device"];

function isProtected(pathname: string): boolean {
  const path = normalisedPath(pathname) ?? pathname;
  return PROTECTED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** Scripts run only with this response's nonce; nothing loads from another origin; no framing. */
export function contentSecurityPolicy(nonce: string, production: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${production ? "" : " 'unsafe-eval'"}`,
    // React and Next set a few style attributes at run time; stylesheets themselves are same-origin files.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${production ? "" : " ws:"}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders(csp: string, production: boolean): Record<string, string> {
  return {
    "Content-Security-Policy": csp,
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    ...commonSecurityHeaders(production),
  };
}

export function handleRequest(request: NextRequest, production: boolean): NextResponse {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, production);
  const { pathname, search } = request.nextUrl;

  let response: NextResponse;
  if (isProtected(pathname) && sessionCookieCount(request.headers.get("cookie")) !== 1) {
    response = NextResponse.redirect(new URL(signInPath(`${pathname}${search}`), request.url));
  } else {
    // Next reads the nonce from the request's CSP header and puts it on the scripts it renders.
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("content-security-policy", csp);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  for (const [name, value] of Object.entries(securityHeaders(csp, production))) response.headers.set(name, value);
  return response;
}

export function proxy(request: NextRequest): NextResponse {
  return handleRequest(request, env.NODE_ENV === "production");
}

export const config = {
  // Pages only: not the API routes (src/app/api; their handlers set their own headers), not static files. Any other
  // path under /api is a page, Next's 404 with the signed-in header, and gets the headers like every page.
  matcher: [
    {
      source:
        "/((?!api/(?:trpc|auth)/|api/(?:health|ping|ready|openapi\\.json)$|_next/static|_next/image|favicon.ico|robots.txt).*)",
    },
  ],
};
