// The security headers every response carries: pages get them in src/proxy.ts (with the CSP and framing rules),
// API responses in src/server/http/api-request.ts, since Next's proxy does not run for /api.

/** Headers for any response; HSTS in production only, where the app is served over HTTPS. */
export function commonSecurityHeaders(production: boolean): Record<string, string> {
  return {
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Content-Type-Options": "nosniff",
    ...(production ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}
