// The origins allowed to send cookie-authenticated requests: the app's own and TRUSTED_ORIGINS.
import { env } from "@/env";

export const trustedOrigins: string[] = [
  new URL(env.BETTER_AUTH_URL).origin,
  ...env.TRUSTED_ORIGINS.map((o) => new URL(o).origin),
];

/**
 * Whether a cookie-carrying request may change state: refused when the browser says it is cross-site or the
 * Origin is not ours. (Requests without either header do not come from a browser page, so no CSRF.)
 */
export function isSameSiteRequest(headers: Headers): boolean {
  if (headers.get("sec-fetch-site") === "cross-site") return false;
  const origin = headers.get("origin");
  return origin === null || trustedOrigins.includes(origin);
}
