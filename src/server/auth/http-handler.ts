// Better Auth's endpoints over HTTP, for both ways a request arrives (src/serve.ts and Next's route handler),
// with the client IP taken from X-Forwarded-For only as far as TRUSTED_PROXY_HOPS allows, and the request id
// (src/server/http/api-request.ts) passed to Better Auth in x-request-id and added to its error bodies.
import { auth } from "@/server/auth";
import { type ApiRequestScope, pathOf, serveApiRequest } from "@/server/http/api-request";
import { withClientIp } from "@/server/http/client-ip";
import { REQUEST_ID_HEADER } from "@/server/http/request-id";

export const AUTH_ENDPOINT = "/api/auth";

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON error body with the request id added; other bodies as they are. Error responses only: they are small. */
async function withRequestIdInBody(response: Response, requestId: string): Promise<Response> {
  if (!response.headers.get("content-type")?.includes("application/json")) return response;
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(isJsonObject(body) ? JSON.stringify({ ...body, requestId }) : text, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

async function serveAuth(request: Request, { requestId, log }: ApiRequestScope): Promise<Response> {
  // Better Auth keeps these headers in its endpoint context, where its log lines and our mailer find the id.
  const headers = withClientIp(request.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  const response = await auth.handler(new Request(request, { headers }));
  // Better Auth's limiter says when to retry in X-Retry-After; clients and proxies read the standard header.
  const retryAfter = response.headers.get("x-retry-after");
  if (response.status === 429 && retryAfter) response.headers.set("retry-after", retryAfter);
  if (response.status < 400) return response;
  if (response.status >= 500) log.error({ path: pathOf(request.url), status: response.status }, "auth endpoint failed");
  return withRequestIdInBody(response, requestId);
}

export function handleAuthRequest(request: Request): Promise<Response> {
  return serveApiRequest(request, serveAuth);
}
