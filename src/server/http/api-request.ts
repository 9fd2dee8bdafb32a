// One API request, whichever way it arrives (the listener in src/serve.ts or Next's route handlers): its id, a
// logger bound to that id, the security headers, one access log line, and for anything the handler throws, an error
// log line and a JSON 500 that names the id and nothing else.
import { env } from "@/env";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/server/http/request-id";
import { commonSecurityHeaders } from "@/server/http/security-headers";
import { type Logger, logger } from "@/server/logger";

/** What a handler gets besides the request. It may set `authMethod` once it knows it, for the access log. */
export type ApiRequestScope = { requestId: string; log: Logger; authMethod?: string | null };

/** The path of a URL (absolute, or a request target) without its query string, which may carry tokens. */
export function pathOf(url: string): string {
  const scheme = url.indexOf("://");
  const start = scheme === -1 ? 0 : url.indexOf("/", scheme + 3);
  if (start === -1) return "/";
  const query = url.indexOf("?", start);
  return url.slice(start, query === -1 ? undefined : query);
}

/** The body of a 500: a generic message and the request id; the cause is only in the log. */
export function internalErrorBody(requestId: string): string {
  return JSON.stringify({
    code: "INTERNAL_SERVER_ERROR",
    message: `Something went wrong on our side (request ${requestId}).`,
    requestId,
  });
}

/** The security headers of every API response: Next's proxy, which sets them on pages, does not run for /api. */
export function apiSecurityHeaders(): Record<string, string> {
  return commonSecurityHeaders(env.NODE_ENV === "production");
}

/** `response` with `headers` set; responses with immutable headers (e.g. from fetch) are copied first. */
export function withHeaders(response: Response, headers: Record<string, string>): Response {
  const set = (target: Response) => {
    for (const [name, value] of Object.entries(headers)) target.headers.set(name, value);
    return target;
  };
  try {
    return set(response);
  } catch {
    return set(new Response(response.body, response));
  }
}

/**
 * The body of `request`, read with a cap: null as soon as it passes `maxBytes` (announced or counted), so a large
 * body is never buffered.
 */
export async function bodyWithin(request: Request, maxBytes: number): Promise<Buffer<ArrayBuffer> | null> {
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body ?? []) {
    size += chunk.byteLength;
    if (size > maxBytes) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Serves `request` with `handle`. `routeOf` names the route of a path (src/server/http/route-template.ts): the log
 * writes that, never the path itself, which may carry a token.
 */
export async function serveApiRequest(
  request: Request,
  handle: (request: Request, scope: ApiRequestScope) => Promise<Response>,
  routeOf: (path: string) => string,
): Promise<Response> {
  const started = performance.now();
  const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
  const scope: ApiRequestScope = { requestId, log: logger.child({ requestId }) };
  const path = routeOf(pathOf(request.url));
  let response: Response;
  try {
    response = await handle(request, scope);
  } catch (error) {
    scope.log.error({ err: error, method: request.method, path }, "request failed");
    response = new Response(internalErrorBody(requestId), {
      status: 500,
      headers: { "content-type": "application/json" },
    });
  }
  response = withHeaders(response, { ...apiSecurityHeaders(), [REQUEST_ID_HEADER]: requestId });
  scope.log.info(
    {
      method: request.method,
      path,
      status: response.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      authMethod: scope.authMethod,
    },
    "request",
  );
  return response;
}
