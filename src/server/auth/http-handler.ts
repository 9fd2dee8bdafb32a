// Better Auth's endpoints over HTTP, for both ways a request arrives (src/serve.ts and Next's route handler),
// with the client IP taken from X-Forwarded-For only as far as TRUSTED_PROXY_HOPS allows, and the request id
// (src/server/http/api-request.ts) passed to Better Auth in x-request-id and added to its error bodies. A request with
// two session cookies is refused here, before Better Auth could pick one of them or write either back.
import { auth } from "@/server/auth";
import { unstorableTextProblem } from "@/lib/validation/storable";
import { hasSeveralSessionCookies } from "@/server/auth/session-cookie-count";
import { type ApiRequestScope, bodyWithin, pathOf, serveApiRequest } from "@/server/http/api-request";
import { isLastOwnerRefusal } from "@/server/auth/organizations";
import { withClientIp } from "@/server/http/client-ip";
import { REQUEST_ID_HEADER } from "@/server/http/request-id";
import { routeTemplates } from "@/server/http/route-template";

export const AUTH_ENDPOINT = "/api/auth";

/** The log's name for an auth path: its endpoint's route ("/api/auth/reset-password/:token"), never the token. */
export const authRouteOf = routeTemplates(
  AUTH_ENDPOINT,
  Object.values(auth.api).flatMap((endpoint) => {
    const { path } = endpoint as { path?: unknown };
    return typeof path === "string" ? [path] : [];
  }),
);

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

/** Auth requests are small forms: a body past this is refused unread. */
const MAX_AUTH_BODY_BYTES = 64 * 1024;

/** The first string in a JSON value (keys included) the database could not store as sent, with where it is. */
function unstorableString(value: unknown, where: string): string | null {
  const pending: [unknown, string][] = [[value, where]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, path] = next;
    if (typeof item === "string") {
      const problem = unstorableTextProblem(item);
      if (problem) return `[${path}] ${problem}`;
    } else if (typeof item === "object" && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        const problem = unstorableTextProblem(key);
        if (problem) return `[${path}] ${problem}`;
        pending.push([child, `${path}.${key}`]);
      }
    }
  }
  return null;
}

function refuse(status: number, code: string, message: string): Response {
  return Response.json({ code, message }, { status });
}

/**
 * Text the database cannot store (a NUL, an unpaired surrogate) in the query or a JSON body is refused here with
 * a 400 naming the field, as Better Auth names its own validation errors: passed on, it would fail a query (500) or
 * be saved changed. The body is read once, with a cap, and handed on as bytes.
 */
async function guardInput(request: Request): Promise<Request | Response> {
  const inQuery = unstorableString(Object.fromEntries(new URL(request.url).searchParams), "query");
  if (inQuery) return refuse(400, "VALIDATION_ERROR", inQuery);
  if (request.method === "GET" || request.method === "HEAD") return request;
  const body = await bodyWithin(request, MAX_AUTH_BODY_BYTES);
  if (!body) return refuse(413, "PAYLOAD_TOO_LARGE", "The request body is too large.");
  if (request.headers.get("content-type")?.includes("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      parsed = undefined; // Better Auth answers malformed JSON itself
    }
    const inBody = unstorableString(parsed, "body");
    if (inBody) return refuse(400, "VALIDATION_ERROR", inBody);
  }
  return new Request(request, { body });
}

async function serveAuth(incoming: Request, { requestId, log }: ApiRequestScope): Promise<Response> {
  if (hasSeveralSessionCookies(incoming.headers)) {
    const message =
      "This request carries two session cookies, so it is signed in as nobody. Clear this site's cookies.";
    return withRequestIdInBody(refuse(401, "UNAUTHORIZED", message), requestId);
  }
  const request = await guardInput(incoming);
  if (request instanceof Response) return withRequestIdInBody(request, requestId);
  // Better Auth keeps these headers in its endpoint context, where its log lines and our mailer find the id.
  const headers = withClientIp(request.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  // Two owners demoting each other at once both pass Better Auth's check; the database refuses the second.
  const response = await auth.handler(new Request(request, { headers })).catch((error: unknown) => {
    if (!isLastOwnerRefusal(error)) throw error;
    return refuse(
      400,
      "YOU_CANNOT_LEAVE_THE_ORGANIZATION_WITHOUT_AN_OWNER",
      "An organization keeps at least one owner.",
    );
  });
  // Better Auth's limiter says when to retry in X-Retry-After; clients and proxies read the standard header.
  const retryAfter = response.headers.get("x-retry-after");
  if (response.status === 429 && retryAfter) response.headers.set("retry-after", retryAfter);
  if (response.status < 400) return response;
  if (response.status >= 500)
    log.error({ path: authRouteOf(pathOf(request.url)), status: response.status }, "auth endpoint failed");
  return withRequestIdInBody(response, requestId);
}

export function handleAuthRequest(request: Request): Promise<Response> {
  return serveApiRequest(request, serveAuth, authRouteOf);
}
