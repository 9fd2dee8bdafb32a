// Better Auth's endpoints, with the client IP taken from X-Forwarded-For only as far as TRUSTED_PROXY_HOPS allows.
import { auth } from "@/server/auth";
import { withClientIp } from "@/server/http/client-ip";

async function handler(request: Request): Promise<Response> {
  const response = await auth.handler(new Request(request, { headers: withClientIp(request.headers) }));
  // Better Auth's limiter says when to retry in X-Retry-After; clients and proxies read the standard header.
  const retryAfter = response.headers.get("x-retry-after");
  if (response.status === 429 && retryAfter) response.headers.set("retry-after", retryAfter);
  return response;
}

export { handler as GET, handler as POST };
