// tRPC over HTTP, for both ways a request arrives (the Node server in src/serve.ts and Next's route handler):
// JSON-only, size-limited mutations, batches capped, malformed URLs refused, context from the request, unexpected errors logged with
// their request id (src/server/http/api-request.ts gives each request its id, logger and access log line).
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { logUnexpectedError, noteRequestId } from "@/server/api/error-formatter";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/context";
import { RetryLater } from "@/server/retry-later";
import { type ApiRequestScope, bodyWithin, serveApiRequest } from "@/server/http/api-request";
import { UNMATCHED_ROUTE } from "@/server/http/route-template";

export const TRPC_ENDPOINT = "/api/trpc";
const MAX_BATCH_SIZE = 10;
export const MAX_BODY_BYTES = 256 * 1024;

const procedures = new Set(Object.keys(appRouter._def.procedures));

/** The log's name for a tRPC path: the path when it names only procedures that exist ("a,b" for a batch). */
export function trpcRouteOf(path: string): string {
  const names = path.startsWith(`${TRPC_ENDPOINT}/`) ? path.slice(TRPC_ENDPOINT.length + 1).split(",") : [];
  return names.length > 0 && names.every((name) => procedures.has(name)) ? path : `${TRPC_ENDPOINT}/${UNMATCHED_ROUTE}`;
}

/** A refusal in tRPC's own error shape, before the request reaches a procedure. */
function refuse(status: number, code: string, message: string, requestId: string): Response {
  return Response.json(
    { error: { json: { message, code: -32600, data: { code, httpStatus: status, requestId } } } },
    { status },
  );
}

/**
 * tRPC also accepts form-data and octet-stream bodies, which a cross-site <form> can send without a CORS
 * preflight: only JSON gets through. Bodies are read here with a size cap, so a large one is never buffered.
 */
async function guardBody(req: Request, requestId: string): Promise<Request | Response> {
  if (req.method !== "POST") return req;
  const type = req.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") return refuse(415, "UNSUPPORTED_MEDIA_TYPE", "Send application/json.", requestId);
  const body = await bodyWithin(req, MAX_BODY_BYTES);
  if (!body) return refuse(413, "PAYLOAD_TOO_LARGE", "The request body is too large.", requestId);
  return new Request(req, { body });
}

/** tRPC decodes the procedure path with decodeURIComponent, which throws on a malformed escape ("%E0%A4%A"). */
function hasDecodablePath(req: Request): boolean {
  try {
    decodeURIComponent(new URL(req.url).pathname);
    return true;
  } catch {
    return false;
  }
}

async function serveTrpc(incoming: Request, scope: ApiRequestScope): Promise<Response> {
  if (!hasDecodablePath(incoming)) return refuse(400, "BAD_REQUEST", "The URL is malformed.", scope.requestId);
  const req = await guardBody(incoming, scope.requestId);
  if (req instanceof Response) return req;
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: async ({ resHeaders }) => {
      const { requestId, log } = scope;
      const ctx = await createTRPCContext({ headers: req.headers, resHeaders, requestId, log });
      scope.authMethod = ctx.authMethod;
      return ctx;
    },
    // A call refused for now (a rate limit) says when to come back; in a batch, the latest time wins.
    responseMeta({ errors }) {
      const seconds = Math.max(
        0,
        ...errors.map((error) => (error.cause instanceof RetryLater ? error.cause.seconds : 0)),
      );
      return seconds > 0 ? { headers: { "retry-after": String(seconds) } } : {};
    },
    onError({ error, path }) {
      noteRequestId(error, scope.requestId);
      logUnexpectedError(scope.log, error, path);
    },
  });
}

export function handleTrpcRequest(request: Request): Promise<Response> {
  return serveApiRequest(request, serveTrpc, trpcRouteOf);
}
