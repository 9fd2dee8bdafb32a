// Better Auth's endpoints over HTTP, for both ways a request arrives (src/serve.ts and Next's route handler),
// with the client IP taken from X-Forwarded-For only as far as TRUSTED_PROXY_HOPS allows.
import { auth } from "@/server/auth";
import { withClientIp } from "@/server/http/client-ip";

export const AUTH_ENDPOINT = "/api/auth";

export async function handleAuthRequest(request: Request): Promise<Response> {
  const response = await auth.handler(new Request(request, { headers: withClientIp(request.headers) }));
  // Better Auth's limiter says when to retry in X-Retry-After; clients and proxies read the standard header.
  const retryAfter = response.headers.get("x-retry-after");
  if (response.status === 429 && retryAfter) response.headers.set("retry-after", retryAfter);
  return response;
}
