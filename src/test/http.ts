// Calls the real Next.js route handlers with real Requests, as the server would.
import { GET as authGet, POST as authPost } from "@/app/api/auth/[...all]/route";
import { GET as trpcGet, POST as trpcPost } from "@/app/api/trpc/[trpc]/route";

export const BASE_URL = "http://localhost:3000";

let clients = 0;
/** A client address no other request of this test file has used, so per-IP limits do not couple unrelated requests. */
export function nextClientIp(): string {
  const n = ++clients;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

type Options = { body?: unknown; headers?: Record<string, string>; ip?: string; method?: "GET" | "POST" };

function buildRequest(path: string, { body, headers = {}, ip = "203.0.113.10", method }: Options): Request {
  return new Request(`${BASE_URL}${path}`, {
    method: method ?? (body === undefined ? "GET" : "POST"),
    headers: {
      origin: BASE_URL,
      "x-forwarded-for": ip,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A request to Better Auth at /api/auth/<path>. */
export function authRequest(path: string, options: Options = {}): Promise<Response> {
  const request = buildRequest(`/api/auth${path}`, options);
  return request.method === "GET" ? authGet(request) : authPost(request);
}

/** A request to tRPC at /api/trpc/<path>. */
export function trpcRequest(path: string, options: Options = {}): Promise<Response> {
  const request = buildRequest(`/api/trpc/${path}`, options);
  return request.method === "GET" ? trpcGet(request) : trpcPost(request);
}

/** The Cookie header a browser would send back after `response`. */
export function cookiesFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}
