// The front of `npm start`'s server (src/serve.ts). Every request has the socket's address appended to its
// X-Forwarded-For, and methods and targets no handler can serve are answered here. Then, a fast path: /api/trpc and
// /api/auth go straight to the handlers Next's route handlers use, without Next's per-request layer, and every other
// path goes to `fallback` (Next). Paths are matched in their normal form, so no spelling of an API path reaches Next
// instead. With FAST_PATHS=off every request goes to `fallback`, API paths included (in their normal form), but for
// one Next cannot route; api-listener.differential.http.test.ts sends the same requests both ways.
import type { IncomingMessage, ServerResponse } from "node:http";
import { env } from "@/env";
import { handleTrpcRequest, TRPC_ENDPOINT } from "@/server/api/http-handler";
import { AUTH_ENDPOINT, handleAuthRequest } from "@/server/auth/http-handler";
import { apiSecurityHeaders, internalErrorBody } from "@/server/http/api-request";
import { CLIENT_IP_HEADER } from "@/server/http/client-ip";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/server/http/request-id";
import { normalisedPath, queryOf } from "@/server/http/request-path";
import { SERVED_METHODS } from "@/server/http/server-limits";
import { logger } from "@/server/logger";

/** Next's request handler returns a promise; what it rejects with is logged like the listener's own failures. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * The methods a web Request cannot carry (the Fetch standard forbids them), so neither the API handlers nor Next can
 * serve them: they are answered 405 on every path. (Node's parser refuses TRACK itself, with a 400; CONNECT reaches
 * the server's "connect" event, src/server/http/server-limits.ts.)
 */
const UNSERVED_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

/**
 * The API's routes, and whether a request with a body may wait there for work worth dropping when its client leaves:
 * Better Auth's password checks queue for a hash, and the queue skips one whose request's signal has aborted
 * (password-hashing.ts). tRPC's few password checks run outside Better Auth's endpoints, where the queue sees no
 * signal. A signal costs undici work on every Request made from this one (each handler re-wraps it): with one on every
 * request, tRPC's health.check served 980 requests a second instead of 1,642 (npm run bench, 2 cores), so only the
 * requests that can use one get it.
 */
const routes: [prefix: string, handler: (request: Request) => Promise<Response>, signalsLeaving: boolean][] = [
  [`${TRPC_ENDPOINT}/`, handleTrpcRequest, false],
  [`${AUTH_ENDPOINT}/`, handleAuthRequest, true],
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
 * The socket's address is appended to X-Forwarded-For, so the client IP rule (TRUSTED_PROXY_HOPS) counts real proxies
 * and a client cannot name its own address; a client-sent CLIENT_IP_HEADER is dropped. This is done on the message
 * itself, before routing: Next, which serves what the listener does not, only fills X-Forwarded-For when it is absent
 * and would otherwise take a client's header as it is.
 */
function trustSocketAddress(req: IncomingMessage): void {
  delete req.headers[CLIENT_IP_HEADER];
  const peer = req.socket.remoteAddress;
  const forwarded = [req.headers["x-forwarded-for"] ?? []].flat().join(", ");
  const chain = peer ? (forwarded ? `${forwarded}, ${peer}` : peer) : undefined;
  if (chain) req.headers["x-forwarded-for"] = chain;
  else delete req.headers["x-forwarded-for"];
}

/**
 * A web Request for `url` from Node's message, with its headers as Node folded them, as Next builds a route handler's
 * Request: a repeated header that may appear once (Content-Type, Authorization, …) counts once, its first value, and
 * repeated Cookie headers are one list. X-Forwarded-For is already the trusted chain (trustSocketAddress);
 * X-Request-Id is the id chosen here, so the handler uses the same one.
 */
function toRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  requestId: string,
  signalsLeaving: boolean,
): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.append(name, value);
    else if (value) for (const item of value) headers.append(name, item);
  }
  headers.set(REQUEST_ID_HEADER, requestId);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(url, {
    method: req.method,
    headers,
    ...(signalsLeaving && hasBody ? { signal: leavingSignal(res) } : {}),
    body: hasBody ? bodyOf(req) : undefined,
    // Required by Node's fetch for a streamed body; the handlers read it with their own size cap.
    ...(hasBody ? { duplex: "half" } : {}),
  });
}

/** Aborted when the client leaves before its answer is written: work still queued for it (hashing) is dropped. */
function leavingSignal(res: ServerResponse): AbortSignal {
  const clientGone = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) clientGone.abort();
  });
  return clientGone.signal;
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
 * Whether a path's escapes decode. Next answers an API path that does not with a 500 of its own, before any route
 * handler; the handlers refuse it with a 400, so such a path goes to them with the fast paths off too.
 */
function decodes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** A short plain-text answer, with the security headers of every API answer. */
function answer(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...apiSecurityHeaders(),
    ...headers,
    "content-type": "text/plain; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/**
 * A request target that is no path: "*" (meaningful only for OPTIONS, which asks about the server as a whole), or an
 * absolute URL that does not parse or is not http(s). Next answers these with a 500 and a stack trace on the console.
 */
function answerTargetWithoutPath(req: IncomingMessage, res: ServerResponse): void {
  if (req.method === "OPTIONS" && req.url === "*") return answer(res, 204, "", { allow: SERVED_METHODS });
  answer(res, 400, "Bad Request");
}

/** Logs `error` and, unless a response has started, answers 500, both with `requestId`. */
function failRequest(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  endpoint: string,
  error: unknown,
): void {
  // The access line (with the route) is already written when a handler failed; the path itself may carry a token.
  logger.error({ requestId, err: error, method: req.method, endpoint }, "request failed");
  if (res.headersSent) return void res.end();
  res.writeHead(500, { ...apiSecurityHeaders(), "content-type": "application/json", [REQUEST_ID_HEADER]: requestId });
  res.end(internalErrorBody(requestId));
}

/**
 * Answers /api/trpc/* and /api/auth/*; hands anything else to `fallback`. `origin` is this server's own URL. The
 * handlers log, answer and time each request themselves (src/server/http/api-request.ts); what fails here (before
 * them, while writing their response, or in `fallback`) is logged and answered with a request id: every request gets
 * an answer, and no error reaches the process's own handlers. With `fastPaths` false (FAST_PATHS=off) API paths go
 * to `fallback` too, after the same checks and in their normal form, unless their escapes do not decode.
 */
export function createApiListener(
  origin: string,
  fallback: RequestListener,
  { fastPaths = env.FAST_PATHS === "on" }: { fastPaths?: boolean } = {},
): RequestListener {
  return (req, res) => {
    let endpoint = "listener";
    let requestId: string | undefined;
    const fail = (error: unknown) =>
      failRequest(req, res, (requestId ??= requestIdFrom(req.headers[REQUEST_ID_HEADER])), endpoint, error);
    try {
      if (UNSERVED_METHODS.has(req.method ?? ""))
        return answer(res, 405, "Method Not Allowed", { allow: SERVED_METHODS });
      trustSocketAddress(req);
      const url = req.url ?? "/";
      const path = normalisedPath(url);
      if (path === null) return answerTargetWithoutPath(req, res);
      const route = routes.find(([prefix]) => path.startsWith(prefix));
      if (!route || (!fastPaths && decodes(path))) {
        endpoint = "next";
        // Next gets an API path in its normal form, so it routes every spelling as the handlers would (it redirects
        // "//" and an absolute target with a 308, and answers 404 for an escaped letter).
        if (route) req.url = `${path}${queryOf(url)}`;
        return void fallback(req, res)?.catch(fail);
      }
      endpoint = route[0];
      requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
      // The handlers see the normal form too: their routing and the access log agree with the match made here.
      const target = new URL(`${path}${queryOf(url)}`, origin);
      route[1](toRequest(req, res, target, requestId, route[2]))
        .then((response) => writeResponse(response, res))
        .catch(fail)
        // What the handler left unread (it answered without the body) is read and dropped, as Node does for a body
        // nobody started reading; Node's requestTimeout bounds how long a client may keep sending it.
        .finally(() => {
          if (!req.complete) req.resume();
        });
    } catch (error) {
      fail(error);
    }
  };
}
