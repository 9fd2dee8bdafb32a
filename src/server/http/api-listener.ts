// The API served straight from node:http: /api/trpc and /api/auth go to the same handlers Next's route handlers
// use, without Next's per-request layer; every other path goes to `fallback` (Next, in src/serve.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleTrpcRequest, TRPC_ENDPOINT } from "@/server/api/http-handler";
import { AUTH_ENDPOINT, handleAuthRequest } from "@/server/auth/http-handler";
import { apiSecurityHeaders, internalErrorBody, pathOf } from "@/server/http/api-request";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/server/http/request-id";
import { logger } from "@/server/logger";

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

const routes: [prefix: string, handler: (request: Request) => Promise<Response>][] = [
  [`${TRPC_ENDPOINT}/`, handleTrpcRequest],
  [`${AUTH_ENDPOINT}/`, handleAuthRequest],
];

/**
 * The request body as a web stream that reads `req` only as the handler pulls. Unlike `Readable.toWeb`, nothing is
 * read ahead, and a handler that stops reading (a refusal: wrong type, too large) does not destroy the socket: the
 * listener discards the rest once it has answered, so the client gets the 4xx instead of a connection reset.
 */
function bodyOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    pull: (controller) =>
      new Promise<void>((resolve, reject) => {
        const settle = (finish: () => void) => {
          req.off("readable", read).off("end", end).off("error", fail);
          finish();
        };
        const read = () => {
          const chunk = req.read() as Buffer | null;
          if (chunk !== null) settle(() => (controller.enqueue(chunk), resolve()));
          else if (req.readableEnded) end();
        };
        const end = () => settle(() => (controller.close(), resolve()));
        const fail = (error: Error) => settle(() => reject(error));
        req.on("readable", read).on("end", end).on("error", fail);
        read();
      }),
  });
}

/**
 * A web Request from Node's message. The socket's address is appended to X-Forwarded-For, so the client IP rule
 * (TRUSTED_PROXY_HOPS) counts real proxies and a client cannot name its own address. (Next's own server only fills
 * the header when it is absent, keeping whatever a client sent.) X-Request-Id is the id chosen here, so the handler
 * uses the same one.
 */
function toRequest(req: IncomingMessage, origin: string, requestId: string): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  headers.set(REQUEST_ID_HEADER, requestId);
  const peer = req.socket.remoteAddress;
  if (peer) {
    const forwarded = headers.get("x-forwarded-for");
    headers.set("x-forwarded-for", forwarded ? `${forwarded}, ${peer}` : peer);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: hasBody ? bodyOf(req) : undefined,
    // Required by Node's fetch for a streamed body; the handlers read it with their own size cap.
    ...(hasBody ? { duplex: "half" } : {}),
  });
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  const body = Buffer.from(await response.arrayBuffer());
  headers["content-length"] = String(body.byteLength);
  res.writeHead(response.status, headers).end(body);
}

/**
 * Answers /api/trpc/* and /api/auth/*; hands anything else to `fallback`. `origin` is this server's own URL. The
 * handlers log, answer and time each request themselves (src/server/http/api-request.ts); what fails here, while
 * writing their response, is logged and answered with the same request id.
 */
export function createApiListener(origin: string, fallback: RequestListener): RequestListener {
  return (req, res) => {
    const url = req.url ?? "/";
    const route = routes.find(([prefix]) => url.startsWith(prefix));
    if (!route) return fallback(req, res);
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    route[1](toRequest(req, origin, requestId))
      .then((response) => writeResponse(response, res))
      .catch((error: unknown) => {
        logger.error({ requestId, err: error, method: req.method, path: pathOf(url) }, "request failed");
        if (res.headersSent) return void res.end();
        res.writeHead(500, { ...apiSecurityHeaders(), "content-type": "application/json", [REQUEST_ID_HEADER]: requestId });
        res.end(internalErrorBody(requestId));
      })
      // What the handler left unread (it answered without the body) is read and dropped, as Node does for a body
      // nobody started reading; Node's requestTimeout bounds how long a client may keep sending it.
      .finally(() => {
        if (!req.complete) req.resume();
      });
  };
}
