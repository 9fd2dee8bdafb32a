// tRPC's fetch handler: JSON-only, size-limited mutations, batches capped, malformed URLs refused, context from the
// request, unexpected errors logged with their request id.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";

const MAX_BATCH_SIZE = 10;
const MAX_BODY_BYTES = 256 * 1024;

/** A refusal in tRPC's own error shape, before the request reaches a procedure. */
function refuse(status: number, code: string, message: string): Response {
  return Response.json({ error: { json: { message, code: -32600, data: { code, httpStatus: status } } } }, { status });
}

/**
 * tRPC also accepts form-data and octet-stream bodies, which a cross-site <form> can send without a CORS
 * preflight: only JSON gets through. Bodies are read here with a size cap, so a large one is never buffered.
 */
async function guardBody(req: Request): Promise<Request | Response> {
  if (req.method !== "POST") return req;
  const type = req.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") return refuse(415, "UNSUPPORTED_MEDIA_TYPE", "Send application/json.");
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
    return refuse(413, "PAYLOAD_TOO_LARGE", "The request body is too large.");
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) return refuse(413, "PAYLOAD_TOO_LARGE", "The request body is too large.");
    chunks.push(chunk);
  }
  return new Request(req, { body: Buffer.concat(chunks) });
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

async function handler(incoming: Request): Promise<Response> {
  if (!hasDecodablePath(incoming)) return refuse(400, "BAD_REQUEST", "The URL is malformed.");
  const req = await guardBody(incoming);
  if (req instanceof Response) return req;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: ({ resHeaders }) => createTRPCContext({ headers: req.headers, resHeaders }),
    onError({ error, path, ctx }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        console.error(`[trpc] request ${ctx?.requestId ?? "-"} ${path ?? "?"} failed:`, error.cause ?? error);
      }
    },
  });
}

export { handler as GET, handler as POST };
