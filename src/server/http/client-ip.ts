// The client's IP address, read from X-Forwarded-For no further than TRUSTED_PROXY_HOPS allows.
import { isIP } from "node:net";
import { env } from "@/env";

/** The header Better Auth reads the IP from; set here from X-Forwarded-For, never taken from the client. */
export const CLIENT_IP_HEADER = "x-client-ip";

/**
 * Each trusted proxy appends the address it received the request from, so the client is the entry
 * `hops` places from the right. `npm start` (src/serve.ts) appends the socket address itself; Next's own server
 * (`next dev`, `next start`) only fills the header when it is absent, so there a client-sent value is taken as is.
 */
export function clientIpFrom(headers: Headers, hops: number = env.TRUSTED_PROXY_HOPS): string | null {
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const candidate = chain[Math.max(0, chain.length - 1 - hops)];
  return candidate && isIP(candidate) ? candidate : null;
}

/** A copy of `headers` whose CLIENT_IP_HEADER holds the trusted client IP (or nothing). */
export function withClientIp(headers: Headers): Headers {
  const copy = new Headers(headers);
  copy.delete(CLIENT_IP_HEADER);
  const ip = clientIpFrom(headers);
  if (ip) copy.set(CLIENT_IP_HEADER, ip);
  return copy;
}
